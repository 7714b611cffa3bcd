import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { CALIBRATION } from './calibration';
import { arrivals, burstOf, followUp, newClick, orphanOf, recordOf, recordRate, type BrokerFields, type Click, type Effects } from './model';
import { Random } from './random';

export { PLANTED_EFFECTS, type PlantedEffect } from './model';

export interface GenerateOptions {
  outDir: string;
  /** Default 30. */
  days?: number;
  /** Default 1. */
  seed?: number;
  /** Volume relative to the real data; default 1 (~1,660 clicks a day). */
  scale?: number;
  /** First day, YYYY-MM-DD (UTC); default 2024-04-01. */
  start?: string;
  /** flat: one file per source in outDir (default); landing: outDir/YYYY-MM-DD/ day folders. */
  layout?: 'flat' | 'landing';
  /** planted (default): the effects of `PLANTED_EFFECTS`; none: equal rates across those groups. */
  effects?: Effects;
  /** After each day's broker file is complete. */
  onProgress?: (p: { day: string; clicks: number; brokers: number }) => void;
}

export interface GenerateSummary {
  outDir: string;
  days: number;
  /** Distinct clicks (a fan-out click is two rows with one id). */
  clicks: number;
  /** Broker rows written, with and without a click. */
  brokerRecords: number;
  /** Rows of truth.csv. */
  truePairs: number;
  /** Written files, relative to outDir. */
  files: string[];
}

const CONVERSIONS = 'brokerchooser_conversions.csv';
const BROKER = 'broker_data.csv';
const MAPPING = 'page_category_mapping.csv';
const TRUTH = 'truth.csv';
const CONVERSIONS_HEADER = 'id;session_id;country_name;is_mobile;ui_element;created_at;measurement_category';
const BROKER_HEADER = 'timestamp,country_residency,ip_country,important_score';
const TRUTH_HEADER = 'conversion_id,broker_file,broker_line';
const DAY = 86400;
// Big enough that a write call costs little per row, small enough to stay far from any memory bound.
const CHUNK_CHARS = 1 << 16;

/** A CRLF file written in chunks; `add` says when the caller must `await flush()` (back-pressure). */
class CsvFile {
  /** Lines written so far, the header being line 1. */
  lines = 1;
  private chunk = '';
  private error: Error | undefined;
  private readonly stream: fs.WriteStream;

  constructor(dir: string, readonly name: string, header: string) {
    // Room for a few chunks, so the disk writes one while the next is built.
    this.stream = fs.createWriteStream(path.join(dir, name), { highWaterMark: 4 * CHUNK_CHARS });
    // Kept for the next flush: an unhandled 'error' event would kill the process instead.
    this.stream.on('error', (e) => (this.error ??= e));
    this.chunk = `${header}\r\n`;
  }

  add(line: string): boolean {
    this.chunk += `${line}\r\n`;
    this.lines++;
    return this.chunk.length >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.error) throw this.error;
    const ok = this.stream.write(this.chunk);
    this.chunk = '';
    if (!ok) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }
}

/** One file for the whole run (flat) or one per day folder (landing). */
class Output {
  private file: CsvFile | undefined;

  constructor(private readonly dir: string, private readonly name: string, private readonly header: string,
    private readonly perDay: boolean, private readonly files: string[]) {}

  /** In the landing layout the caller closes each day's file before asking for the next. */
  forDay(day: string): CsvFile {
    if (this.file && !this.perDay) return this.file;
    const rel = this.perDay ? `${day}/${this.name}` : this.name;
    this.files.push(rel);
    return (this.file = new CsvFile(this.dir, rel, this.header));
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}

interface PendingRecord { fields: BrokerFields; conversionId: number | undefined }

const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const clockOf = (secondOfDay: number) =>
  `${P2[Math.floor(secondOfDay / 3600)]}:${P2[Math.floor(secondOfDay / 60) % 60]}:${P2[secondOfDay % 60]}`;

function validated(opts: GenerateOptions) {
  const { days = 30, seed = 1, scale = 1, start = '2024-04-01', layout = 'flat', effects = 'planted' } = opts;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a whole number >= 1, got ${days}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be > 0, got ${scale}`);
  const startMs = /^\d{4}-\d{2}-\d{2}$/.test(start) ? Date.parse(`${start}T00:00:00Z`) : NaN;
  if (Number.isNaN(startMs) || new Date(startMs).toISOString().slice(0, 10) !== start) {
    throw new RangeError(`start must be a date YYYY-MM-DD, got ${start}`);
  }
  if (layout !== 'flat' && layout !== 'landing') throw new RangeError(`layout must be flat or landing, got ${layout}`);
  if (effects !== 'planted' && effects !== 'none') throw new RangeError(`effects must be planted or none, got ${effects}`);
  return { days, seed, scale, start: startMs / 1000, layout, effects };
}

/**
 * Writes `days` days of clicks and broker records in the real files' exact formats, plus
 * truth.csv naming, for every broker record a click produced, that click. Day by day and
 * streamed, so memory stays bounded by one day's rows whatever the scale. The same options give
 * byte-identical files.
 *
 * Both sources cover exactly [start, start + days): as in the real delivery, which was cut at
 * midnight, a record whose timestamp falls outside (a click in the last seconds, a record a
 * second before the first click) is not delivered and has no truth row.
 */
export async function generate(opts: GenerateOptions): Promise<GenerateSummary> {
  const { days, seed, scale, start, layout, effects } = validated(opts);
  const outDir = opts.outDir;
  const rng = new Random(seed);
  const perDay = layout === 'landing';
  const dayName = (d: number) => new Date((start + d * DAY) * 1000).toISOString().slice(0, 10);
  const dayOf = (t: number) => Math.floor((t - start) / DAY);

  fs.mkdirSync(outDir, { recursive: true });
  if (perDay) for (let d = 0; d < days; d++) fs.mkdirSync(path.join(outDir, dayName(d)), { recursive: true });
  // Byte for byte the real mapping file, which has no line end after its last row.
  await fs.promises.writeFile(path.join(outDir, MAPPING), [['page_category', 'measurement_category'], ...CALIBRATION.mapping].map((r) => r.join(';')).join('\r\n'));
  const files = [MAPPING, TRUTH];
  const conversionsOut = new Output(outDir, CONVERSIONS, CONVERSIONS_HEADER, perDay, files);
  const brokerOut = new Output(outDir, BROKER, BROKER_HEADER, perDay, files);
  const truth = new CsvFile(outDir, TRUTH, TRUTH_HEADER);

  // Clicks of later days already known (a session's next click), and broker records by the day
  // of their own timestamp: a record can land a day after its click, or (lag -1 s) a day before.
  const followUps: Click[][] = Array.from({ length: days }, () => []);
  const records: PendingRecord[][] = Array.from({ length: days }, () => []);
  const clicksOfDay: number[] = [];
  let nextId = CALIBRATION.clicks.firstId;
  let nextSession = CALIBRATION.clicks.firstSession;
  let clickTotal = 0;
  let brokerTotal = 0;
  let truePairs = 0;

  const place = (fields: BrokerFields, conversionId?: number) => {
    const d = dayOf(fields.timestamp);
    if (d >= 0 && d < days) records[d].push({ fields, conversionId });
  };

  const writeClicks = async (d: number, clicks: Click[]) => {
    const file = conversionsOut.forDay(dayName(d));
    const date = `${dayName(d)} `;
    const dayStart = start + d * DAY;
    for (const c of clicks) {
      const rest = `;${c.mobile ? 1 : 0};${c.ui};${date}${clockOf(c.t - dayStart)};${c.mc}`;
      if (file.add(`${c.id};${c.session};${c.country.click}${rest}`)) await file.flush();
      if (c.country.fanOut !== undefined && file.add(`${c.id};${c.session};${c.country.fanOut}${rest}`)) await file.flush();
    }
  };

  const flushRecords = async (d: number) => {
    const day = records[d];
    records[d] = [];
    // Stable: records of one second keep the order they were made in, so reruns are identical.
    day.sort((a, b) => a.fields.timestamp - b.fields.timestamp);
    const file = brokerOut.forDay(dayName(d));
    for (const { fields: r, conversionId } of day) {
      if (file.add(`${r.timestamp},${r.residency},${r.ip},${r.score}`)) await file.flush();
      if (conversionId !== undefined && truth.add(`${conversionId},${file.name},${file.lines}`)) await truth.flush();
    }
    if (perDay) await brokerOut.close();
    brokerTotal += day.length;
    truePairs += day.filter((r) => r.conversionId !== undefined).length;
    opts.onProgress?.({ day: dayName(d), clicks: clicksOfDay[d], brokers: day.length });
  };

  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY;
    const clicks = followUps[d];
    followUps[d] = [];
    for (const t of arrivals(rng, dayStart, scale)) {
      clicks.push(newClick(rng, t, nextSession));
      nextSession += rng.geometric(CALIBRATION.clicks.sessionGapMean);
    }
    // The list grows while it is walked: a follow-up on the same day may have its own.
    for (let i = 0; i < clicks.length; i++) {
      const next = followUp(rng, clicks[i]);
      if (!next) continue;
      const nd = dayOf(next.t);
      if (nd === d) clicks.push(next);
      else if (nd < days) followUps[nd].push(next);
    }
    clicks.sort((a, b) => a.t - b.t);
    for (const c of clicks) {
      c.id = nextId;
      nextId += rng.geometric(CALIBRATION.clicks.idGapMean);
    }
    await writeClicks(d, clicks);
    if (perDay) await conversionsOut.close();
    clicksOfDay[d] = clicks.length;
    clickTotal += clicks.length;

    for (const c of clicks) {
      if (!rng.chance(recordRate(c, effects))) continue;
      place(recordOf(rng, c, effects), c.id);
      const orphan = orphanOf(rng, dayStart);
      if (orphan) place(orphan);
    }
    for (const r of burstOf(rng, dayStart, scale)) place(r);
    // Day d - 1 is complete now: its last records came from today's first clicks (lag -1 s).
    if (d > 0) await flushRecords(d - 1);
  }
  await flushRecords(days - 1);
  await conversionsOut.close();
  await brokerOut.close();
  await truth.close();
  return { outDir, days, clicks: clickTotal, brokerRecords: brokerTotal, truePairs, files: files.sort() };
}
