import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MatchCounts } from '../../workflows/types';
import { copyLine } from '../db/copy';
import { inTransaction, useBulkMemory } from '../db/pool';
import { failpoint } from '../failpoints';
import type { Liveness } from '../heartbeat';
import { matchRecords, type BrokerRecord, type Click, type MatchModel } from './index';
import { addStats, lagStats, modelFromStats, type LagStats } from './model';

const DAY = 86_400;
/** Candidates lie within a minute; records this far beyond a day's edges are loaded as context. */
const CONTEXT_SECONDS = 120;
/**
 * Each day is matched with a model fitted on the days around it: one day holds too few pairs
 * to see the lag tail, and a window keyed to the day itself (not to how the data was batched)
 * makes daily batches in any order and one run over everything give the same pairs.
 */
const MODEL_HALF_WINDOW_DAYS = 3;
/** Matching and publishing rewrite shared spans of days: one batch at a time, in commit order. */
export const MATCH_LOCK = 7_420_212;

export interface Span {
  from: Date;
  to: Date;
}

/**
 * Re-matches every day whose model this batch's rows feed (its own days and three on each
 * side), from everything staged, and records the span for publish.
 */
export async function matchBatch(pool: Pool, batchId: string, live: Liveness): Promise<MatchCounts> {
  return inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MATCH_LOCK]);
    await useBulkMemory(tx);
    const window = await batchWindow(tx, batchId);
    let candidatePairs = 0;
    let chancePairs = 0;
    if (window) {
      const first = dayStart(window.from) - MODEL_HALF_WINDOW_DAYS * DAY;
      const last = dayStart(window.to) + MODEL_HALF_WINDOW_DAYS * DAY;
      const clickPeriod = await clickSpan(tx);
      await tx.query('CREATE TEMP TABLE new_pairs (LIKE staging.match_pairs) ON COMMIT DROP');
      await tx.query('CREATE TEMP TABLE new_unmatched (LIKE staging.broker_unmatched) ON COMMIT DROP');
      // Two passes, each holding three days of rows: first every day's counts, then each day
      // matched with the model of the week around it. One pass would hold six days (the counts
      // of three days ahead must be in before a day is matched): 800 MB at 100x.
      const stats = new Map<number, LagStats>();
      const counting = new SlidingDays(tx);
      for (let day = first - MODEL_HALF_WINDOW_DAYS * DAY; day <= last + MODEL_HALF_WINDOW_DAYS * DAY; day += DAY) {
        stats.set(day, await dayStats(counting, day));
        counting.forget(day);
        live.progress({ daysCounted: (day - first) / DAY + MODEL_HALF_WINDOW_DAYS + 1 });
        await live.checkpoint();
      }
      const matching = new SlidingDays(tx);
      for (let day = first; day <= last; day += DAY) {
        const result = await matchDay(tx, matching, day, modelAround(stats, day), batchId, clickPeriod);
        candidatePairs += result.candidatePairs;
        chancePairs += result.chancePairsAtShift;
        matching.forget(day);
        live.progress({ daysMatched: (day - first) / DAY + 1 });
        await live.checkpoint();
      }
      const span = { from: new Date(first * 1000), to: new Date((last + DAY) * 1000) };
      await tx.query('ANALYZE new_pairs, new_unmatched');
      // Two days can both want a click just around midnight: the earlier day's pair wins,
      // the same way whatever order the days were matched in.
      await tx.query(
        `DELETE FROM new_pairs n USING new_pairs o, staging.broker_records bn, staging.broker_records bo
         WHERE n.conversion_id = o.conversion_id AND n.broker_record_id <> o.broker_record_id
           AND bn.broker_record_id = n.broker_record_id AND bo.broker_record_id = o.broker_record_id
           AND (bo.registered_at, bo.broker_record_id) < (bn.registered_at, bn.broker_record_id)`,
      );
      await tx.query(
        `DELETE FROM staging.match_pairs p
         WHERE p.broker_record_id IN (SELECT broker_record_id FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2)
            OR p.conversion_id IN (SELECT conversion_id FROM new_pairs)`,
        [span.from, span.to],
      );
      await tx.query(
        `DELETE FROM staging.broker_unmatched u
         WHERE u.broker_record_id IN (SELECT broker_record_id FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2)`,
        [span.from, span.to],
      );
      await tx.query('INSERT INTO staging.match_pairs SELECT * FROM new_pairs');
      await tx.query('INSERT INTO staging.broker_unmatched SELECT * FROM new_unmatched');
      await tx.query('UPDATE ops.batches SET match_from = $2, match_to = $3 WHERE batch_id = $1', [batchId, span.from, span.to]);
    }
    const counts = await batchCounts(tx, batchId, candidatePairs, chancePairs);
    await tx.query(
      `INSERT INTO ops.match_runs (batch_id, matched, broker_unmatched, candidate_pairs, estimated_false_matches, chance_pairs_at_shift)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (batch_id) DO UPDATE SET matched = EXCLUDED.matched, broker_unmatched = EXCLUDED.broker_unmatched,
         candidate_pairs = EXCLUDED.candidate_pairs, estimated_false_matches = EXCLUDED.estimated_false_matches,
         chance_pairs_at_shift = EXCLUDED.chance_pairs_at_shift, finished_at = now()`,
      [batchId, counts.matched, counts.brokerUnmatched, counts.candidatePairs, counts.estimatedFalseMatches, counts.chancePairsAtShift],
    );
    await failpoint('match:before-commit');
    return counts;
  });
}

/**
 * The counts a model is fitted from, for the records and clicks of one day. Clicks a day
 * around it are context: the chance counts look six hours away.
 */
async function dayStats(data: SlidingDays, day: number): Promise<LagStats> {
  const around = await data.range(day - DAY, day + 2 * DAY);
  return lagStats(around.clicks, around.brokers, { from: day, to: day + DAY });
}

function modelAround(stats: Map<number, LagStats>, day: number): MatchModel {
  let sum: LagStats | null = null;
  for (let d = day - MODEL_HALF_WINDOW_DAYS * DAY; d <= day + MODEL_HALF_WINDOW_DAYS * DAY; d += DAY) {
    const s = stats.get(d)!;
    sum = sum ? addStats(sum, s) : s;
  }
  return modelFromStats(sum!);
}

/** Matches the records of one day with its model and stages the verdicts in the temp tables. */
async function matchDay(
  tx: PoolClient,
  data: SlidingDays,
  day: number,
  model: MatchModel,
  batchId: string,
  clickPeriod: { from: number; to: number } | null,
): Promise<{ candidatePairs: number; chancePairsAtShift: number }> {
  const near = await data.range(day - CONTEXT_SECONDS, day + DAY + CONTEXT_SECONDS);
  const today = new Set(near.brokers.filter((b) => b.t >= day && b.t < day + DAY).map((b) => b.id));
  if (today.size === 0) return { candidatePairs: 0, chancePairsAtShift: 0 };
  const result = matchRecords(near.clicks, near.brokers, model, { clickPeriod: clickPeriod ?? undefined });
  // Each broker record's verdict belongs to its own day, decided with that day's model.
  const pairs = result.pairs.filter((p) => today.has(p.brokerId));
  const unmatched = result.unmatched.filter((u) => today.has(u.brokerId));
  await copyRows(tx, 'new_pairs (conversion_id, broker_record_id, lag_seconds, country_level, weight, match_probability, margin, batch_id)',
    pairs.map((p) => [p.clickId, p.brokerId, p.lagSeconds, p.level, p.weight, p.probability, p.margin, batchId]));
  await copyRows(tx, 'new_unmatched (broker_record_id, reason, batch_id)', unmatched.map((u) => [u.brokerId, u.reason, batchId]));
  await tx.query(
    `INSERT INTO ops.match_models (day, model, batch_id) VALUES ($1, $2, $3)
     ON CONFLICT (day) DO UPDATE SET model = EXCLUDED.model, batch_id = EXCLUDED.batch_id, fitted_at = now()`,
    [new Date(day * 1000), JSON.stringify(model), batchId],
  );
  return result;
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

async function copyRows(tx: PoolClient, target: string, rows: Parameters<typeof copyLine>[0][]): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from(rows.map((r) => copyLine(r))), tx.query(copyFrom(`COPY ${target} FROM STDIN`)));
}

const dayStart = (d: Date) => Math.floor(d.getTime() / 1000 / DAY) * DAY;

async function batchWindow(tx: PoolClient, batchId: string): Promise<Span | null> {
  const { rows } = await tx.query<{ window_from: Date | null; window_to: Date | null }>(
    'SELECT window_from, window_to FROM ops.batches WHERE batch_id = $1',
    [batchId],
  );
  const w = rows[0];
  return w?.window_from && w.window_to ? { from: w.window_from, to: w.window_to } : null;
}

/** The span the batch's match rewrote (what publish must rebuild), or null before any match. */
export async function matchedSpan(pool: Pool | PoolClient, batchId: string): Promise<Span | null> {
  const { rows } = await pool.query<{ match_from: Date | null; match_to: Date | null }>(
    'SELECT match_from, match_to FROM ops.batches WHERE batch_id = $1',
    [batchId],
  );
  const r = rows[0];
  return r?.match_from && r.match_to ? { from: r.match_from, to: r.match_to } : null;
}

/** Records outside the span of all click data cannot have a click; they are not failures. */
async function clickSpan(tx: PoolClient): Promise<{ from: number; to: number } | null> {
  const { rows } = await tx.query<{ from: number | null; to: number | null }>(
    'SELECT extract(epoch FROM min(clicked_at))::float8 AS from, extract(epoch FROM max(clicked_at))::float8 AS to FROM staging.conversions',
  );
  return rows[0].from === null || rows[0].to === null ? null : { from: rows[0].from, to: rows[0].to };
}

/**
 * Staged records loaded a day at a time and kept while a day's model window needs them, so
 * memory holds about a week of data however long the batch. Rows come as arrays and country
 * codes are shared strings: at 100x six days are two million records, and a string per
 * country field per row was a quarter of the heap.
 */
class SlidingDays {
  private days = new Map<number, { clicks: Click[]; brokers: BrokerRecord[] }>();
  private codes = new Map<string, string>();

  constructor(private readonly tx: PoolClient) {}

  async range(from: number, to: number): Promise<{ clicks: Click[]; brokers: BrokerRecord[] }> {
    const clicks: Click[] = [];
    const brokers: BrokerRecord[] = [];
    for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
      const d = await this.day(day);
      for (const c of d.clicks) if (c.t >= from && c.t < to) clicks.push(c);
      for (const b of d.brokers) if (b.t >= from && b.t < to) brokers.push(b);
    }
    return { clicks, brokers };
  }

  forget(before: number): void {
    for (const day of this.days.keys()) if (day < before) this.days.delete(day);
  }

  private code(country: string | null): string | null {
    if (country === null) return null;
    let shared = this.codes.get(country);
    if (shared === undefined) this.codes.set(country, (shared = country));
    return shared;
  }

  private async day(day: number): Promise<{ clicks: Click[]; brokers: BrokerRecord[] }> {
    let d = this.days.get(day);
    if (!d) {
      const span = [new Date(day * 1000), new Date((day + DAY) * 1000)];
      const clicks = await this.tx.query<[string, number, string | null]>({
        text: `SELECT conversion_id, extract(epoch FROM clicked_at)::float8, country_code
               FROM staging.conversions WHERE clicked_at >= $1 AND clicked_at < $2 ORDER BY clicked_at, conversion_id`,
        values: span,
        rowMode: 'array',
      });
      const brokers = await this.tx.query<[string, number, string | null, string | null]>({
        text: `SELECT broker_record_id, extract(epoch FROM registered_at)::float8, ip_country_code, residency_country_code
               FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2 ORDER BY registered_at, broker_record_id`,
        values: span,
        rowMode: 'array',
      });
      d = {
        clicks: clicks.rows.map(([id, t, country]) => ({ id, t, country: this.code(country) })),
        brokers: brokers.rows.map(([id, t, ip, residency]) => ({ id, t, ip: this.code(ip), residency: this.code(residency) })),
      };
      this.days.set(day, d);
    }
    return d;
  }
}
