/**
 * What the generator draws: clicks, their sessions, the broker records they produce and the
 * records no click produced, all from `CALIBRATION`. Files and days are `generate.ts`'s business.
 *
 * Device, ui_element and page (measurement_category) are drawn independently of each other and
 * of the country, although on the real site they are not (`desktop-top5-box` is a desktop
 * element). Joint draws would make every planted effect leak into the other dimensions, and the
 * report would then rightly find effects nobody planted.
 */
import { CALIBRATION, type CountryCalibration } from './calibration';
import { Random, WeightedTable } from './random';

export type Effects = 'planted' | 'none';

export interface Country {
  code: string;
  /** Click-file name; a fan-out name repeats the click on a second row. */
  click: string;
  fanOut: string | undefined;
  ip: WeightedTable<string> | null;
  recordRate: number;
}

export interface Click {
  /** created_at, epoch seconds. */
  t: number;
  /** Assigned once the day's clicks are in time order: ids rise with created_at as in the real file. */
  id: number;
  session: number;
  country: Country;
  mobile: boolean;
  ui: string;
  mc: string;
}

export interface BrokerFields {
  timestamp: number;
  residency: string;
  ip: string;
  score: string;
}

const { clicks: CLICKS, broker: BROKER, planted: PLANTED } = CALIBRATION;

const entries = (counts: Readonly<Record<string, number>>): [string, number][] => Object.entries(counts);
const tableOrNull = (counts: Readonly<Record<string, number>>) =>
  Object.keys(counts).length > 0 ? new WeightedTable(entries(counts)) : null;

function toCountry(c: CountryCalibration & { click: string }): Country {
  const ip = tableOrNull(c.ip);
  // A record needs an ip_country name; calibration gives rate 0 where the real file has none.
  if (c.recordRate > 0 && !ip) throw new Error(`country ${c.code} produces records but has no ip_country name`);
  return { code: c.code, click: c.click, fanOut: CLICKS.geoFanOut[c.click], ip, recordRate: c.recordRate };
}

const clickCountries = CALIBRATION.countries
  .filter((c): c is CountryCalibration & { click: string } => c.click !== null)
  .map((c) => ({ country: toCountry(c), clicks: c.clicks }));
const COUNTRY_TABLE = new WeightedTable(clickCountries.map((c) => [c.country, c.clicks] as const));
const residencyByCode = new Map(CALIBRATION.countries.map((c) => [c.code, tableOrNull(c.residency)]));
const codeOfIp = new Map(CALIBRATION.countries.flatMap((c) => Object.keys(c.ip).map((name) => [name, c.code] as const)));
const codeOfResidency = new Map(CALIBRATION.countries.flatMap((c) => Object.keys(c.residency).map((name) => [name, c.code] as const)));
const ALL_IP = new WeightedTable(CALIBRATION.countries.flatMap((c) => entries(c.ip)));
const ALL_RESIDENCY = new WeightedTable(CALIBRATION.countries.flatMap((c) => entries(c.residency)));
const DISAGREE_IP = new WeightedTable(entries(BROKER.disagreeIp));
const UI = new WeightedTable(CLICKS.uiElements);
const MC = new WeightedTable(CLICKS.measurementCategories);
const HOUR = new WeightedTable(CLICKS.hourWeights.map((w, h) => [h, w] as const));
const FOLLOW_GAP = new WeightedTable(CLICKS.followUp.gapSeconds.map(([lo, hi, n]) => [[lo, hi] as const, n] as const));
const LAG = new WeightedTable(BROKER.lagSeconds);
const BURST_MINUTE = new WeightedTable(BROKER.burst.minuteProfile);
const BURST_SPAN = (Math.max(...BROKER.burst.minuteProfile.map(([m]) => m)) + 1) * 60;

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const HOUR_SHARE = CLICKS.hourWeights.map((w) => w / sum(CLICKS.hourWeights));
const WEEKDAY_FACTOR = CLICKS.weekdayWeights.map((w) => (w * 7) / sum(CLICKS.weekdayWeights));

// A planted group missing from the tables would silently plant nothing.
function found<T>(row: T | undefined, what: string): T {
  if (row === undefined) throw new Error(`planted ${what} is not in the calibration`);
  return row;
}
const PLANTED_MC = found(CALIBRATION.mapping.find(([page]) => page === PLANTED.pageCategory), `page category ${PLANTED.pageCategory}`)[1];
const PLANTED_UI_CLICKS = found(CLICKS.uiElements.find(([ui]) => ui === PLANTED.uiElement), `ui_element ${PLANTED.uiElement}`)[1];

// The factors average to 1 over clicks, so planting moves rates between groups and leaves the
// overall high-score rate at its calibrated value.
const MOBILE_FACTOR = 1 / (CLICKS.mobileShare + PLANTED.desktopToMobileHighScore * (1 - CLICKS.mobileShare));
const deviceFactor = (mobile: boolean) => (mobile ? MOBILE_FACTOR : PLANTED.desktopToMobileHighScore * MOBILE_FACTOR);
const UI_NORM = 1 - (PLANTED_UI_CLICKS / sum(CLICKS.uiElements.map(([, n]) => n))) * (1 - PLANTED.uiHighScoreFactor);
const uiFactor = (ui: string) => (ui === PLANTED.uiElement ? PLANTED.uiHighScoreFactor : 1) / UI_NORM;
/** A planted page's clicks miss a record `pageNoRecordFactor` as often; a country the broker never records stays at 0. */
const plantedRecordRate = (base: number) => (base > 0 ? 1 - (1 - base) * PLANTED.pageNoRecordFactor : 0);

export function recordRate(click: Click, effects: Effects): number {
  const base = click.country.recordRate;
  return effects === 'planted' && click.mc === PLANTED_MC ? plantedRecordRate(base) : base;
}

export function highScoreRate(click: Click, effects: Effects): number {
  return effects === 'planted' ? BROKER.highScoreShare * deviceFactor(click.mobile) * uiFactor(click.ui) : BROKER.highScoreShare;
}

export interface PlantedEffect {
  dimension: 'device' | 'page_category' | 'ui_element';
  group: string;
  baseline: string;
  /** high_score_rate: share of records with a numeric score whose score is > 0; broker_record_rate: share of clicks with a broker record. */
  metric: 'high_score_rate' | 'broker_record_rate';
  /** Expected values under `effects: 'planted'`; under `'none'` rate = baselineRate. */
  rate: number;
  baselineRate: number;
}

const clickWeighted = (rate: (c: Country) => number) =>
  sum(clickCountries.map((c) => c.clicks * rate(c.country))) / sum(clickCountries.map((c) => c.clicks));

export const PLANTED_EFFECTS: readonly PlantedEffect[] = Object.freeze([
  {
    dimension: 'device', group: 'desktop', baseline: 'mobile', metric: 'high_score_rate',
    rate: BROKER.highScoreShare * deviceFactor(false), baselineRate: BROKER.highScoreShare * deviceFactor(true),
  },
  {
    dimension: 'page_category', group: PLANTED.pageCategory, baseline: 'other page categories', metric: 'broker_record_rate',
    rate: clickWeighted((c) => plantedRecordRate(c.recordRate)), baselineRate: clickWeighted((c) => c.recordRate),
  },
  {
    dimension: 'ui_element', group: PLANTED.uiElement, baseline: 'other ui elements', metric: 'high_score_rate',
    rate: BROKER.highScoreShare * uiFactor(PLANTED.uiElement), baselineRate: BROKER.highScoreShare * uiFactor(''),
  },
]);

/** New sessions' first clicks of one UTC day: a Poisson process following the hourly and weekday shape. */
export function arrivals(rng: Random, dayStart: number, scale: number): number[] {
  const weekday = new Date(dayStart * 1000).getUTCDay();
  // Follow-ups add share / (1 - share) clicks per first click; together they make perDay.
  const firstClicks = CLICKS.perDay * scale * WEEKDAY_FACTOR[weekday] * (1 - CLICKS.followUp.share);
  const times: number[] = [];
  HOUR_SHARE.forEach((share, h) => {
    const rate = (firstClicks * share) / 3600;
    const end = dayStart + (h + 1) * 3600;
    for (let t = dayStart + h * 3600 + rng.exponential(rate); t < end; t += rng.exponential(rate)) times.push(Math.floor(t));
  });
  return times;
}

export function newClick(rng: Random, t: number, session: number): Click {
  return { t, id: 0, session, country: COUNTRY_TABLE.pick(rng), mobile: rng.chance(CLICKS.mobileShare), ui: UI.pick(rng), mc: MC.pick(rng) };
}

/** The session's next click, or null when it has none. */
export function followUp(rng: Random, click: Click): Click | null {
  if (!rng.chance(CLICKS.followUp.share)) return null;
  const [lo, hi] = FOLLOW_GAP.pick(rng);
  const t = click.t + rng.int(lo, hi);
  const same = rng.chance(CLICKS.followUp.sameElementShare);
  return { ...click, t, id: 0, ui: same ? click.ui : UI.pick(rng), mc: same ? click.mc : MC.pick(rng) };
}

function pickOther(rng: Random, table: WeightedTable<string>, codeOf: ReadonlyMap<string, string>, code: string | undefined): string {
  for (;;) {
    const name = table.pick(rng);
    if (codeOf.get(name) !== code) return name;
  }
}

function withMissing(rng: Random, ip: string): string {
  const u = rng.next();
  return u < BROKER.ipEmptyShare ? '' : u < BROKER.ipEmptyShare + BROKER.ipDashShare ? '-' : ip;
}

function residencyFor(rng: Random, ip: string): string {
  if (ip === '' || ip === '-' || !rng.chance(BROKER.residencyShare)) return '';
  const code = codeOfIp.get(ip);
  if (rng.chance(BROKER.residencyDiffersShare)) return pickOther(rng, ALL_RESIDENCY, codeOfResidency, code);
  // A country never typed as residency in the real file gets none: only real names are written.
  return (code && residencyByCode.get(code)?.pick(rng)) || '';
}

function score(rng: Random, highRate: number): string {
  if (rng.chance(BROKER.refScoreShare)) return '#REF!';
  if (!rng.chance(highRate)) return '0';
  return rng.chance(BROKER.tenShare) ? '10' : String(rng.int(...BROKER.highScoreRange));
}

/** The record a click produces (call only when `recordRate` said it does). */
export function recordOf(rng: Random, click: Click, effects: Effects): BrokerFields {
  const timestamp = click.t + LAG.pick(rng);
  const own = click.country.ip as WeightedTable<string>;
  const ip = withMissing(rng, rng.chance(BROKER.ipDisagreeShare) ? pickOther(rng, DISAGREE_IP, codeOfIp, click.country.code) : own.pick(rng));
  return { timestamp, ip, residency: residencyFor(rng, ip), score: score(rng, highScoreRate(click, effects)) };
}

/** Records no click produced, one per record with a click at `orphanShare`: any time of the day, any country. */
export function orphanOf(rng: Random, dayStart: number): BrokerFields | null {
  if (!rng.chance(BROKER.orphanShare)) return null;
  const timestamp = dayStart + HOUR.pick(rng) * 3600 + rng.int(0, 3599);
  const ip = withMissing(rng, ALL_IP.pick(rng));
  return { timestamp, ip, residency: residencyFor(rng, ip), score: score(rng, BROKER.highScoreShare) };
}

/** The day's burst of clickless records from one country, if it has one: same second, same values, so many rows are identical. */
export function burstOf(rng: Random, dayStart: number, scale: number): BrokerFields[] {
  if (!rng.chance(BROKER.burst.perDay)) return [];
  const start = dayStart + rng.int(0, 86400 - BURST_SPAN);
  return Array.from({ length: Math.max(1, Math.round(BROKER.burst.records * scale)) }, () => ({
    timestamp: start + BURST_MINUTE.pick(rng) * 60 + rng.int(0, 59),
    ip: BROKER.burst.ipCountry,
    residency: '',
    score: '0',
  }));
}
