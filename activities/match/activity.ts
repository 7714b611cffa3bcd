import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MatchCounts } from '../../workflows/types';
import { binaryCopyChunks, type BinaryType } from '../db/copy';
import { analyzeIfStale } from '../db/analyze';
import { claimDays, clearClaim, markDays } from '../db/day-marks';
import { inTransaction, useBulkMemory } from '../db/pool';
import { failpoint } from '../failpoints';
import type { Liveness } from '../heartbeat';
import { matchRecords, type BrokerRecord, type Click, type MatchedPair, type MatchModel, type UnmatchedBroker } from './index';
import { CONTEXT_SECONDS, DAY, matchPlan, MODEL_HALF_WINDOW_DAYS, spans, type MatchPlan } from './days';
import { addStats, CLICK_REACH, lagStats, modelFromStats, RECORD_REACH, type LagStats } from './model';

/**
 * Rows are loaded and matched a quarter day at a time: at 100x a day is 330k rows, and holding
 * three days of them with a day's candidate graph took the worker past 1 GiB. Counting, which
 * builds no graph, takes a day and the six hours around it at once.
 */
const SLICE = DAY / 4;

/**
 * Re-matches the days whose model or candidates the marked days changed (the batch's own and
 * any other batch's nearby), once for all of them, from everything staged; counts only the
 * days the changes reach and reads the other days' counts from ops.day_stats. A batch whose
 * days another batch's match already handled re-matches nothing. Its figures are always those
 * of its own records.
 */
export async function matchBatch(pool: Pool, batchId: string, live: Liveness): Promise<MatchCounts> {
  const { counts, written } = await inTransaction(pool, async (tx) => {
    await useBulkMemory(tx);
    const claim = await claimDays(tx, 'match', batchId, (days) => matchPlan(days).locked);
    let found = { candidatePairs: 0, chancePairsAtShift: 0, written: { pairs: 0, verdicts: 0 } };
    let span: { from: Date; to: Date } | null = null;
    if (claim.days.length > 0) {
      // Batches staged to be matched together (a backfill's days) left their statistics to
      // the one match that takes their marks: taken here, in the transaction, once, where each
      // day's own ANALYZE re-sampled the growing tables and queued on the others' locks. The
      // server's counters lag about a second, so the rows of the last day staged may be
      // missing from them: a tenth of the table is far more than a day of a backfill.
      await analyzeIfStale(tx, { 'staging.conversions': 0, 'staging.broker_records': 0 });
      const plan = matchPlan(claim.days);
      found = await rematch(tx, plan, batchId, live);
      for (const [batch, days] of claim.byBatch) await markDays(tx, 'publish', matchPlan(days).matched, batch);
      await clearClaim(tx, claim);
      span = { from: new Date(plan.matched[0] * DAY * 1000), to: new Date((plan.matched[plan.matched.length - 1] + 1) * DAY * 1000) };
    }
    await tx.query('UPDATE ops.batches SET match_from = $2, match_to = $3 WHERE batch_id = $1', [batchId, span?.from, span?.to]);
    const counts = await batchCounts(tx, batchId, found.candidatePairs, found.chancePairsAtShift);
    await tx.query(
      `INSERT INTO ops.match_runs (batch_id, matched, broker_unmatched, candidate_pairs, estimated_false_matches, chance_pairs_at_shift)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (batch_id) DO UPDATE SET matched = EXCLUDED.matched, broker_unmatched = EXCLUDED.broker_unmatched,
         candidate_pairs = EXCLUDED.candidate_pairs, estimated_false_matches = EXCLUDED.estimated_false_matches,
         chance_pairs_at_shift = EXCLUDED.chance_pairs_at_shift, finished_at = now()`,
      [batchId, counts.matched, counts.brokerUnmatched, counts.candidatePairs, counts.estimatedFalseMatches, counts.chancePairsAtShift],
    );
    await failpoint('match:before-commit');
    return { counts, written: found.written };
  });
  if (written.pairs + written.verdicts > 0) {
    await analyzeIfStale(pool, { 'staging.match_pairs': written.pairs, 'staging.broker_unmatched': written.verdicts });
  }
  return counts;
}

/**
 * Two passes: first the counts of every day the models need (recounted where the changes
 * reach, cached elsewhere), then each day matched with the model of the week around it. One
 * pass would hold the rows of four days (a day's model needs the counts of the three after it).
 */
/** Returns the matcher's figures and how many pairs and verdicts were written. */
async function rematch(
  tx: PoolClient,
  plan: MatchPlan,
  batchId: string,
  live: Liveness,
): Promise<{ candidatePairs: number; chancePairsAtShift: number; written: { pairs: number; verdicts: number } }> {
  const staged = await stagedPeriods(tx);
  const stats = await countedStats(tx, plan, staged.all, live);
  const rematched = spans(plan.matched);
  for (const s of rematched) {
    const span = [new Date(s.from * 1000), new Date(s.to * 1000)];
    await tx.query(
      `DELETE FROM staging.match_pairs p USING staging.broker_records b
       WHERE b.broker_record_id = p.broker_record_id AND b.registered_at >= $1 AND b.registered_at < $2`,
      span,
    );
    await tx.query(
      `DELETE FROM staging.broker_unmatched u USING staging.broker_records b
       WHERE b.broker_record_id = u.broker_record_id AND b.registered_at >= $1 AND b.registered_at < $2`,
      span,
    );
  }
  const total = { candidatePairs: 0, chancePairsAtShift: 0 };
  const matching = new SlidingSlices(tx, staged.all);
  const writer = new VerdictWriter(tx, batchId, rematched.flatMap((s) => [s.from, s.to]));
  for (const [k, day] of plan.matched.entries()) {
    const result = await matchDay(tx, matching, day * DAY, modelAround(stats, day), batchId, staged.clicks, writer, live);
    total.candidatePairs += result.candidatePairs;
    total.chancePairsAtShift += result.chancePairsAtShift;
    live.progress({ daysMatched: k + 1 });
  }
  return { ...total, written: writer.written };
}

/**
 * Writes each slice's pairs and verdicts straight into staging (the re-matched days' old ones
 * are deleted first). Two slices, or a re-matched day and a kept one beside it, can both want a
 * click around their border: the earlier record's pair wins, the same way whatever order the
 * days were matched in. Settled here as the slices come, in time order: staging a 10x match's
 * pairs in a temp table and settling them there with set-based statements cost the server 2.5 s,
 * COPYs of the winners straight into staging 1.5 s (1.2 s in the binary format).
 */
class VerdictWriter {
  readonly written = { pairs: 0, verdicts: 0 };
  /** Clicks the previous slice paired: its records are earlier than this slice's, so they win. */
  private previous = new Set<string>();

  constructor(
    private readonly tx: PoolClient,
    private readonly batchId: string,
    /** Edges of the re-matched spans: only records within two contexts of one compete with kept pairs. */
    private readonly edges: number[],
  ) {}

  /**
   * A pair's click lies within a context of its record, so two slices' pairs share a click
   * only when the slices are next to each other: the previous slice's clicks are all the new
   * pairs a slice can lose to.
   */
  async write(pairs: MatchedPair[], unmatched: UnmatchedBroker[], registered: Map<string, number>): Promise<void> {
    let won = pairs.filter((p) => !this.previous.has(p.clickId));
    this.previous = new Set(won.map((p) => p.clickId));
    // A kept pair's record lies outside the re-matched days and within two minutes of the
    // click, so only new pairs that near an edge can meet one. Whichever record is earlier
    // keeps the click: the later kept pairs go, the new pairs that lost are not written.
    const near = won.filter((p) => this.edges.some((e) => Math.abs(registered.get(p.brokerId)! - e) <= 2 * CONTEXT_SECONDS));
    if (near.length > 0) {
      const { rows } = await this.tx.query<{ conversion_id: string }>(
        `WITH near AS (SELECT * FROM unnest($1::text[], $2::float8[], $3::text[]) n(conversion_id, registered, broker_record_id)),
         lost AS (
           SELECT n.conversion_id FROM near n
           JOIN staging.match_pairs o ON o.conversion_id = n.conversion_id
           JOIN staging.broker_records bo ON bo.broker_record_id = o.broker_record_id
           WHERE (extract(epoch FROM bo.registered_at)::float8, bo.broker_record_id) < (n.registered, n.broker_record_id)),
         beaten AS (
           DELETE FROM staging.match_pairs p USING near n
           WHERE p.conversion_id = n.conversion_id AND n.conversion_id NOT IN (SELECT conversion_id FROM lost))
         SELECT conversion_id FROM lost`,
        [near.map((p) => p.clickId), near.map((p) => registered.get(p.brokerId)!), near.map((p) => p.brokerId)],
      );
      const lost = new Set(rows.map((r) => r.conversion_id));
      won = won.filter((p) => !lost.has(p.clickId));
    }
    await copyRows(this.tx, 'staging.match_pairs (conversion_id, broker_record_id, lag_seconds, country_level, weight, match_probability, margin, batch_id)',
      ['text', 'text', 'int4', 'text', 'float8', 'float8', 'float8', 'text'],
      won.map((p) => [p.clickId, p.brokerId, p.lagSeconds, p.level, p.weight, p.probability, p.margin, this.batchId]));
    await copyRows(this.tx, 'staging.broker_unmatched (broker_record_id, reason, batch_id)', ['text', 'text', 'text'], unmatched.map((u) => [u.brokerId, u.reason, this.batchId]));
    this.written.pairs += won.length;
    this.written.verdicts += unmatched.length;
  }
}

/**
 * The counts of every day the plan's models sum: recounted from staging for the days the
 * changes reach (and days never counted), read from ops.day_stats for the others. Only days
 * under this match's locks are written back: another match may be recounting the rest.
 */
async function countedStats(tx: PoolClient, plan: MatchPlan, staged: Period | null, live: Liveness): Promise<Map<number, LagStats>> {
  const { rows } = await tx.query<{ day: number; stats: LagStats }>(
    `SELECT (day - DATE '1970-01-01') AS day, stats FROM ops.day_stats WHERE day - DATE '1970-01-01' = ANY($1::int[])`,
    [plan.counted.filter((d) => !plan.stats.includes(d))],
  );
  const stats = new Map(rows.map((r) => [r.day, r.stats]));
  const locked = new Set(plan.locked);
  const recounted: number[] = [];
  const counting = new SlidingSlices(tx, staged);
  for (const day of plan.counted) {
    if (stats.has(day)) continue;
    stats.set(day, await dayStats(counting, day * DAY, live));
    if (locked.has(day)) recounted.push(day);
    live.progress({ daysCounted: recounted.length });
  }
  await tx.query(
    `INSERT INTO ops.day_stats (day, stats) SELECT DATE '1970-01-01' + d, s::json FROM unnest($1::int[], $2::text[]) x(d, s)
     ON CONFLICT (day) DO UPDATE SET stats = EXCLUDED.stats, computed_at = now()`,
    [recounted, recounted.map((d) => JSON.stringify(stats.get(d)))],
  );
  return stats;
}

/**
 * The counts a model is fitted from, for the records and clicks of one day, counted over the
 * day at once: a count reaches six hours of clicks beyond its focus on each side, so counting
 * a quarter day at a time sorted and scanned every click three times. The counts add up, so
 * the day's are those of its quarters.
 */
async function dayStats(data: SlidingSlices, day: number, live: Liveness): Promise<LagStats> {
  const clicks = await data.clicks(day - CLICK_REACH, day + DAY + CLICK_REACH);
  const brokers = await data.brokers(day - RECORD_REACH, day + DAY + RECORD_REACH);
  const stats = lagStats(clicks, brokers, { from: day, to: day + DAY });
  data.forget(day + DAY - CLICK_REACH);
  await live.checkpoint();
  return stats;
}

/** The model of a day: the counts of the week around it, summed in day order. */
function modelAround(stats: Map<number, LagStats>, day: number): MatchModel {
  const week: LagStats[] = [];
  for (let d = day - MODEL_HALF_WINDOW_DAYS; d <= day + MODEL_HALF_WINDOW_DAYS; d++) week.push(stats.get(d)!);
  return modelFromStats(week.reduce(addStats));
}

/**
 * Matches the records of one day with its model, a slice at a time, and writes the verdicts.
 * Each record's verdict belongs to its own slice, decided with its day's model; records and
 * clicks just beyond the slice compete as context.
 */
async function matchDay(
  tx: PoolClient,
  data: SlidingSlices,
  day: number,
  model: MatchModel,
  batchId: string,
  clickPeriod: Period | null,
  writer: VerdictWriter,
  live: Liveness,
): Promise<{ candidatePairs: number; chancePairsAtShift: number }> {
  const total = { candidatePairs: 0, chancePairsAtShift: 0 };
  let records = 0;
  for (let slice = day; slice < day + DAY; slice += SLICE) {
    const brokers = await data.brokers(slice - CONTEXT_SECONDS, slice + SLICE + CONTEXT_SECONDS);
    const own = new Map(brokers.filter((b) => b.t >= slice && b.t < slice + SLICE).map((b) => [b.id, b.t]));
    if (own.size > 0) {
      const clicks = await data.clicks(slice - CONTEXT_SECONDS, slice + SLICE + CONTEXT_SECONDS);
      const result = matchRecords(clicks, brokers, model, { clickPeriod: clickPeriod ?? undefined });
      await writer.write(result.pairs.filter((p) => own.has(p.brokerId)), result.unmatched.filter((u) => own.has(u.brokerId)), own);
      total.candidatePairs += result.candidatePairs;
      total.chancePairsAtShift += result.chancePairsAtShift;
      records += own.size;
      live.add({ recordsMatched: own.size });
    }
    data.forget(slice + SLICE - CONTEXT_SECONDS);
    await live.checkpoint();
  }
  if (records > 0) {
    await tx.query(
      `INSERT INTO ops.match_models (day, model, batch_id) VALUES ($1, $2, $3)
       ON CONFLICT (day) DO UPDATE SET model = EXCLUDED.model, batch_id = EXCLUDED.batch_id, fitted_at = now()`,
      [new Date(day * 1000), JSON.stringify(model), batchId],
    );
  }
  return total;
}

/** The batch's figures: its own broker records, however many days were re-matched around them. */
async function batchCounts(tx: PoolClient, batchId: string, candidatePairs: number, chancePairsAtShift: number): Promise<MatchCounts> {
  const { rows } = await tx.query<{ matched: number; unmatched: number; false_matches: number }>(
    `SELECT count(p.broker_record_id)::int AS matched,
            (count(*) - count(p.broker_record_id))::int AS unmatched,
            coalesce(sum(1 - p.match_probability), 0)::float8 AS false_matches
     FROM staging.broker_records b LEFT JOIN staging.match_pairs p USING (broker_record_id)
     WHERE b.batch_id = $1`,
    [batchId],
  );
  const r = rows[0];
  return { matched: r.matched, brokerUnmatched: r.unmatched, candidatePairs, estimatedFalseMatches: r.false_matches, chancePairsAtShift };
}

async function copyRows(tx: PoolClient, target: string, types: readonly BinaryType[], rows: (string | number | null)[][]): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from(binaryCopyChunks(types, rows)), tx.query(copyFrom(`COPY ${target} FROM STDIN (FORMAT binary)`)));
}

type Period = { from: number; to: number };

/**
 * The times of the first and last staged click and record. Records outside the clicks' period
 * cannot have a click; they are not failures.
 */
async function stagedPeriods(tx: PoolClient): Promise<{ clicks: Period | null; all: Period | null }> {
  const { rows } = await tx.query<{ c_from: number | null; c_to: number | null; b_from: number | null; b_to: number | null }>(
    `SELECT (SELECT extract(epoch FROM min(clicked_at))::float8 FROM staging.conversions) AS c_from,
            (SELECT extract(epoch FROM max(clicked_at))::float8 FROM staging.conversions) AS c_to,
            (SELECT extract(epoch FROM min(registered_at))::float8 FROM staging.broker_records) AS b_from,
            (SELECT extract(epoch FROM max(registered_at))::float8 FROM staging.broker_records) AS b_to`,
  );
  const r = rows[0];
  const clicks = r.c_from === null || r.c_to === null ? null : { from: r.c_from, to: r.c_to };
  const brokers = r.b_from === null || r.b_to === null ? null : { from: r.b_from, to: r.b_to };
  const all = clicks && brokers ? { from: Math.min(clicks.from, brokers.from), to: Math.max(clicks.to, brokers.to) } : (clicks ?? brokers);
  return { clicks, all };
}

/**
 * Staged rows loaded a slice at a time and kept until forgotten, so memory holds the slices a
 * step reaches, however long the batch. Rows come as arrays and country codes are shared
 * strings: a string per country field per row was a quarter of the heap at 100x.
 */
interface Slice {
  clicks: Click[];
  brokers: BrokerRecord[];
}

class SlidingSlices {
  private slices = new Map<number, Promise<Slice>>();
  private codes = new Map<string, string>();

  constructor(
    private readonly tx: PoolClient,
    private readonly staged: Period | null,
  ) {}

  clicks(from: number, to: number): Promise<Click[]> {
    return this.within(from, to, (s) => s.clicks);
  }

  brokers(from: number, to: number): Promise<BrokerRecord[]> {
    return this.within(from, to, (s) => s.brokers);
  }

  private async within<T extends { t: number }>(from: number, to: number, rows: (s: Slice) => T[]): Promise<T[]> {
    const out: T[] = [];
    const first = Math.floor(from / SLICE) * SLICE;
    for (let s = first; s < to; s += SLICE) {
      for (const r of rows(await this.slice(s))) if (r.t >= from && r.t < to) out.push(r);
    }
    // Steps walk forward in time: the server reads the next slice while this one is matched.
    void this.slice(Math.ceil(to / SLICE) * SLICE);
    return out;
  }

  /** Drops the slices that end before `time`. */
  forget(time: number): void {
    for (const s of this.slices.keys()) if (s + SLICE <= time) this.slices.delete(s);
  }

  private code(country: string | null): string | null {
    if (country === null) return null;
    let shared = this.codes.get(country);
    if (shared === undefined) this.codes.set(country, (shared = country));
    return shared;
  }

  private slice(start: number): Promise<Slice> {
    let d = this.slices.get(start);
    if (!d) {
      d = this.load(start);
      // A prefetch that fails is reported by the step that awaits it.
      d.catch(() => {});
      this.slices.set(start, d);
    }
    return d;
  }

  private async load(start: number): Promise<Slice> {
    const d: Slice = { clicks: [], brokers: [] };
    // Days beyond everything staged (the edges of a history) are empty: no query for them.
    if (!this.staged || start > this.staged.to || start + SLICE <= this.staged.from) return d;
    // One round trip for both kinds, planned once per connection: a 35-day backfill at 1x
    // made 3,700 slice queries of 1 ms each, and planning one took 2 ms more. Times come as
    // epoch seconds only: a Date per row besides cost 1.2 s of a 10x match in parsing alone.
    // Unordered: indexRecords sorts every step's rows by (time, id) itself, and sorting them
    // here too was half the query (4 of 8.5 ms a slice at 10x, 280 slices a run).
    const { rows } = await this.tx.query<[number, string, number, string | null, string | null]>({
      name: 'staged-slice',
      text: `SELECT 0 AS kind, conversion_id AS id, extract(epoch FROM clicked_at)::float8 AS t, country_code, NULL::text
             FROM staging.conversions WHERE clicked_at >= $1 AND clicked_at < $2
             UNION ALL
             SELECT 1, broker_record_id, extract(epoch FROM registered_at)::float8, ip_country_code, residency_country_code
             FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2`,
      values: [new Date(start * 1000), new Date((start + SLICE) * 1000)],
      rowMode: 'array',
    });
    for (const [kind, id, t, a, b] of rows) {
      if (kind === 0) d.clicks.push({ id, t, country: this.code(a) });
      else d.brokers.push({ id, t, ip: this.code(a), residency: this.code(b) });
    }
    return d;
  }
}
