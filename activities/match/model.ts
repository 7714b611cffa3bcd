import { clickShare } from './odds';
import { indexRecords, IP, levelOf, NONE, RESIDENCY, scanWindow, type Indexed } from './records';
import { expandBlocks, fitExcess, nonIncreasingFit } from './stats';
import type { BrokerRecord, Click, LevelTable, LevelValues, MatchModel } from './types';

/**
 * Lags are counted over [-LAG_WINDOW, LAG_WINDOW]. True pairs sit within seconds to tens of
 * seconds; the negative side, where only chance lives, needs enough seconds to measure it.
 */
const LAG_WINDOW = 120;
/** Negative lags the clocks of the two systems may produce for a true pair. */
const CLOCK_SKEW = 2;
/** Hours away no true lag can reach; averaging many offsets smooths out the daily cycle. */
const SHIFT_OFFSETS = [1, 2, 3, 4, 5, 6].flatMap((h) => [h * 3600, -h * 3600]);
/** How far beyond their focus `lagStats` needs records, and clicks, to count it completely. */
export const RECORD_REACH = LAG_WINDOW + 1;
export const CLICK_REACH = Math.max(...SHIFT_OFFSETS) + LAG_WINDOW + 1;
/**
 * One-sided z (~1e-4) a block of the lag histogram must reach to count as true pairs rather
 * than chance. An estimate makes a few dozen such tests, so pure chance almost never shows a peak.
 */
const SIGNIFICANCE_Z = 3.7;

const WIDTH = 2 * LAG_WINDOW + 1;

/**
 * Chance candidates per level with the records moved hours away, summed over the offsets.
 * Counted, not enumerated: each record asks how many clicks (of its countries) fall in the
 * window, and the pointers per offset and country only move forward because records come in
 * time order, so the cost does not grow with how many clicks a window holds.
 */
function shiftCounts(data: Indexed, brokers: IndexRange): number[] {
  const byCountry: number[][] = data.countries.map(() => []);
  data.clickCountry.forEach((c, i) => {
    if (c >= 0) byCountry[c].push(data.clickT[i]);
  });
  const lists = [data.clickT, ...byCountry.map((t) => Float64Array.from(t))];
  const lo = new Int32Array(SHIFT_OFFSETS.length * lists.length);
  const hi = new Int32Array(SHIFT_OFFSETS.length * lists.length);
  const count = (o: number, list: number, from: number, to: number): number => {
    const t = lists[list];
    const k = o * lists.length + list;
    while (lo[k] < t.length && t[lo[k]] < from) lo[k]++;
    if (hi[k] < lo[k]) hi[k] = lo[k];
    while (hi[k] < t.length && t[hi[k]] <= to) hi[k]++;
    return hi[k] - lo[k];
  };
  const totals = [0, 0, 0];
  for (let b = brokers.from; b < brokers.to; b++) {
    const ip = data.brokerIp[b];
    const residency = data.brokerResidency[b];
    // A loop, not forEach: no closure per record (550k at 10x, each counted over 12 offsets).
    for (let o = 0; o < SHIFT_OFFSETS.length; o++) {
      // The lags scanWindow would round into [-LAG_WINDOW, LAG_WINDOW].
      const from = data.brokerT[b] + SHIFT_OFFSETS[o] - LAG_WINDOW - 0.5;
      const to = data.brokerT[b] + SHIFT_OFFSETS[o] + LAG_WINDOW + 0.5;
      const all = count(o, 0, from, to);
      const atIp = ip >= 0 ? count(o, ip + 1, from, to) : 0;
      const atResidency = residency >= 0 && residency !== ip ? count(o, residency + 1, from, to) : 0;
      totals[IP] += atIp;
      totals[RESIDENCY] += atResidency;
      totals[NONE] += all - atIp - atResidency;
    }
  }
  return totals;
}

/** Half a count of prior keeps a level that never occurs by chance from having a zero chance rate. */
function shiftRates(totals: readonly number[]): number[] {
  return totals.map((n) => (n + 0.5) / (SHIFT_OFFSETS.length * WIDTH));
}

/**
 * Chance rate per lag second as a function of distance |lag|, read off the negative side of
 * the histogram where no true pair can be. Near a record the rate is higher than hours away
 * (one user's clicks come in bursts, and they share a country), but it is symmetric in time,
 * so the negative side measures it for the positive side too. It falls with distance, and
 * never below the rate hours away.
 */
function chanceRates(observed: number[][], floor: number[]): number[][] {
  return observed.map((h, level) => {
    const far = [];
    for (let d = CLOCK_SKEW + 1; d <= LAG_WINDOW; d++) far.push(h[LAG_WINDOW - d]);
    const fitted = expandBlocks(nonIncreasingFit(far));
    const rate: number[] = [];
    for (let d = 0; d <= LAG_WINDOW; d++) rate.push(Math.max(floor[level], fitted[Math.max(0, d - CLOCK_SKEW - 1)]));
    return rate;
  });
}

interface LagProfile {
  from: number;
  to: number;
  share: number[];
}

/**
 * Where true pairs are and how they spread over lags, from the levels where the countries
 * agree (there the peak stands highest above chance). The excess over chance is fitted as
 * falling away from its mode on either side; blocks of the fit are kept outward from the mode
 * while they still show a significant excess, so the tail ends where the data stop showing one.
 */
function lagProfile(observed: number[][], chance: number[][]): LagProfile | null {
  const lags: number[] = [];
  for (let l = -CLOCK_SKEW; l <= LAG_WINDOW; l++) lags.push(l);
  const agree = lags.map((l) => observed[IP][l + LAG_WINDOW] + observed[RESIDENCY][l + LAG_WINDOW]);
  const agreeChance = lags.map((l) => chance[IP][Math.abs(l)] + chance[RESIDENCY][Math.abs(l)]);
  const excess = agree.map((n, i) => n - agreeChance[i]);
  let mode = 0;
  excess.forEach((e, i) => {
    if (e > excess[mode]) mode = i;
  });

  // Fits one side, listed outward from the mode; returns the kept lags' fitted excess. A block
  // is kept when it starts a stretch of blocks with a significant excess, so one weak second
  // does not cut off a clear tail behind it.
  const side = (indices: number[]): number[] => {
    const blocks = nonIncreasingFit(indices.map((i) => excess[i]));
    const kept: number[] = [];
    for (let k = 0; k < blocks.length; k++) {
      let n = 0;
      let mu = 0;
      let significant = false;
      for (let e = k; e < blocks.length && !significant; e++) {
        for (let j = blocks[e].start; j <= blocks[e].end; j++) {
          n += agree[indices[j]];
          mu += agreeChance[indices[j]];
        }
        significant = fitExcess([n], [mu], [1]).z >= SIGNIFICANCE_Z;
      }
      if (!significant) break;
      for (let j = blocks[k].start; j <= blocks[k].end; j++) kept.push(blocks[k].mean);
    }
    return kept;
  };
  const right = side(lags.slice(mode).map((_, k) => mode + k));
  if (right.length === 0) return null;
  const left = side(lags.slice(0, mode).map((_, k) => mode - 1 - k));
  const density = [...left.reverse(), ...right];
  const sum = density.reduce((a, b) => a + b, 0);
  return { from: lags[mode] - left.length, to: lags[mode] + right.length - 1, share: density.map((d) => d / sum) };
}

/**
 * True pairs per country level: the Poisson fit of the level's counts over the support as
 * chance plus a multiple of the lag profile (lag and country agreement independent given a
 * true pair, as Fellegi-Sunter assumes). Not tested for significance: the peak is already
 * established, and a level sized slightly above zero by chance only adds weak candidates,
 * which lose to true partners almost always.
 */
function levelCounts(observed: number[][], chance: number[][], profile: LagProfile): number[] {
  return observed.map((h, level) => {
    const counts: number[] = [];
    const rates: number[] = [];
    for (let l = profile.from; l <= profile.to; l++) {
      counts.push(h[l + LAG_WINDOW]);
      rates.push(chance[level][Math.abs(l)]);
    }
    return fitExcess(counts, rates, profile.share).total;
  });
}

function table(rows: ArrayLike<number>[]): LevelTable {
  return { ip: Array.from(rows[IP]), residency: Array.from(rows[RESIDENCY]), none: Array.from(rows[NONE]) };
}

function values(v: number[]): LevelValues {
  return { ip: v[IP], residency: v[RESIDENCY], none: v[NONE] };
}

type Span = { from: number; to: number } | null;

/**
 * What a model is fitted from. Every field is a count (or a span), so the figures of a week
 * are the sums of its days': each day is counted once however many models it feeds.
 */
export interface LagStats {
  /** Candidates per level and lag second of the counted records (clicks from anywhere). */
  observed: number[][];
  /** Chance candidates per level over all shift offsets. */
  shift: number[];
  clicks: number;
  clickCountries: Record<string, number>;
  clickSpan: Span;
  brokers: number;
  brokerSpan: Span;
  /** Records per country they offer at the ip level, and at the residency level (when it differs). */
  ipCountries: Record<string, number>;
  residencyCountries: Record<string, number>;
  /** Records with a click within the lag window, and counted clicks with a record within it. */
  reachableBrokers: number;
  reachableClicks: number;
}

const tally = (into: Record<string, number>, key: string) => (into[key] = (into[key] ?? 0) + 1);

interface IndexRange {
  from: number;
  to: number;
}

/** Indices of the sorted times in [from, to). */
function rangeOf(t: Float64Array, focus: { from: number; to: number } | undefined): IndexRange {
  if (!focus) return { from: 0, to: t.length };
  let from = 0;
  while (from < t.length && t[from] < focus.from) from++;
  let to = from;
  while (to < t.length && t[to] < focus.to) to++;
  return { from, to };
}

/**
 * Counts the clicks and records whose time lies in `focus` (all when omitted); the others are
 * context, so that records and clicks near the focus's edges see all their candidates. Stats of
 * a partition of time into focuses sum to the stats of the whole.
 */
export function lagStats(clicks: readonly Click[], brokers: readonly BrokerRecord[], focus?: { from: number; to: number }): LagStats {
  const data = indexRecords(clicks, brokers);
  const cs = rangeOf(data.clickT, focus);
  const bs = rangeOf(data.brokerT, focus);
  const inFocus = (b: number) => b >= bs.from && b < bs.to;
  const observed = [new Float64Array(WIDTH), new Float64Array(WIDTH), new Float64Array(WIDTH)];
  const brokerReached = new Uint8Array(data.brokerT.length);
  const clickReached = new Uint8Array(data.clickT.length);
  scanWindow(data, 0, -LAG_WINDOW, LAG_WINDOW, (b, c, lag) => {
    if (inFocus(b)) observed[levelOf(data, b, c)][lag + LAG_WINDOW]++;
    brokerReached[b] = 1;
    clickReached[c] = 1;
  });
  const sum = (a: Uint8Array, r: IndexRange) => a.subarray(r.from, r.to).reduce((n, x) => n + x, 0);
  const spanOf = (t: Float64Array, r: IndexRange): Span => (r.to > r.from ? { from: t[r.from], to: t[r.to - 1] } : null);
  const stats: LagStats = {
    observed: observed.map((h) => Array.from(h)),
    shift: shiftCounts(data, bs),
    clicks: cs.to - cs.from,
    clickCountries: {},
    clickSpan: spanOf(data.clickT, cs),
    brokers: bs.to - bs.from,
    brokerSpan: spanOf(data.brokerT, bs),
    ipCountries: {},
    residencyCountries: {},
    reachableBrokers: sum(brokerReached, bs),
    reachableClicks: sum(clickReached, cs),
  };
  for (let c = cs.from; c < cs.to; c++) {
    if (data.clickCountry[c] >= 0) tally(stats.clickCountries, data.countries[data.clickCountry[c]]);
  }
  for (let b = bs.from; b < bs.to; b++) {
    const ip = data.brokerIp[b];
    const residency = data.brokerResidency[b];
    if (ip >= 0) tally(stats.ipCountries, data.countries[ip]);
    if (residency >= 0 && residency !== ip) tally(stats.residencyCountries, data.countries[residency]);
  }
  return stats;
}

function joinSpans(a: Span, b: Span): Span {
  if (!a || !b) return a ?? b;
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to) };
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

export function addStats(a: LagStats, b: LagStats): LagStats {
  return {
    observed: a.observed.map((h, level) => h.map((n, i) => n + b.observed[level][i])),
    shift: a.shift.map((n, level) => n + b.shift[level]),
    clicks: a.clicks + b.clicks,
    clickCountries: addCounts(a.clickCountries, b.clickCountries),
    clickSpan: joinSpans(a.clickSpan, b.clickSpan),
    brokers: a.brokers + b.brokers,
    brokerSpan: joinSpans(a.brokerSpan, b.brokerSpan),
    ipCountries: addCounts(a.ipCountries, b.ipCountries),
    residencyCountries: addCounts(a.residencyCountries, b.residencyCountries),
    reachableBrokers: a.reachableBrokers + b.reachableBrokers,
    reachableClicks: a.reachableClicks + b.reachableClicks,
  };
}

/**
 * 1 / ((1 - pr) (1 - pc)): pr is the share of records with a true pair among those with any
 * click in reach, pc the same for clicks. One pseudo-pair keeps the factor finite when nearly
 * everything is paired.
 */
function priorFactor(stats: LagStats, expectedTrue: number): number {
  const free = (n: number): number => Math.max(1, n - expectedTrue + 1) / (n + 1);
  return 1 / (free(stats.reachableBrokers) * free(stats.reachableClicks));
}

/** Mean click share of the country records offer at a level (0 where they offer none). */
function meanShare(stats: LagStats, offered: Record<string, number>): number {
  let sum = 0;
  for (const [country, n] of Object.entries(offered)) sum += n * clickShare(stats.clickCountries, stats.clicks, country);
  return sum / Math.max(1, stats.brokers);
}

export function estimateModel(clicks: readonly Click[], brokers: readonly BrokerRecord[]): MatchModel {
  return modelFromStats(lagStats(clicks, brokers));
}

export function modelFromStats(stats: LagStats): MatchModel {
  const observed = stats.observed;
  const floor = shiftRates(stats.shift);
  const chance = chanceRates(observed, floor);
  const profile = lagProfile(observed, chance);
  const trueCount = profile ? levelCounts(observed, chance, profile) : [0, 0, 0];
  const trueRate = trueCount.map((n) => (profile ? profile.share.map((m) => n * m) : []));
  const odds = trueRate.map((rates, level) => rates.map((r, k) => r / chance[level][Math.abs(profile!.from + k)]));
  return {
    method: 'fellegi-sunter/lag-country',
    version: 1,
    estimatedOn: { clicks: stats.clicks, brokers: stats.brokers, clickSpan: stats.clickSpan, brokerSpan: stats.brokerSpan },
    lagWindow: LAG_WINDOW,
    clockSkew: CLOCK_SKEW,
    observed: table(observed),
    shiftBackground: values(floor),
    shiftOffsets: SHIFT_OFFSETS,
    background: table(chance),
    support: profile && { from: profile.from, to: profile.to },
    lagShare: profile ? profile.share : [],
    trueCount: values(trueCount),
    trueRate: table(trueRate),
    clickCountries: stats.clickCountries,
    meanShare: { ip: meanShare(stats, stats.ipCountries), residency: meanShare(stats, stats.residencyCountries) },
    odds: table(odds),
    priorFactor: profile ? priorFactor(stats, trueCount.reduce((a, b) => a + b, 0)) : 1,
  };
}
