import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { MatchCounts } from '../../workflows/types';
import { copyLine } from '../db/copy';
import { inTransaction } from '../db/pool';
import { failpoint } from '../failpoints';
import { estimateModel, matchRecords, type BrokerRecord, type Click } from './index';

/**
 * Candidates lie within a minute of each other; re-matching a margin around the batch's own
 * span lets a click at 23:59:59 meet its record at 00:00:01 in the next day's batch.
 */
export const MATCH_MARGIN_SECONDS = 120;

interface Region {
  from: Date;
  to: Date;
}

/** Records just outside the region, loaded so that pairs across its edges are judged with both sides. */
const CONTEXT_SECONDS = 120;
/**
 * The model is estimated on the days around the batch, not the batch alone: one day is too
 * few pairs to see the lag tail, and a window keyed to the batch's own dates gives (nearly)
 * the same model whichever order the days arrive in.
 */
const MODEL_WINDOW_DAYS = 3;

export async function matchRegion(pool: Pool, batchId: string): Promise<MatchCounts> {
  const region = await batchRegion(pool, batchId);
  if (!region) return record(pool, batchId, { matched: 0, brokerUnmatched: 0, candidatePairs: 0, estimatedFalseMatches: 0, chancePairsAtShift: 0 }, {});
  const day = 86_400_000;
  const modelSpan = { from: new Date(region.from.getTime() - MODEL_WINDOW_DAYS * day), to: new Date(region.to.getTime() + MODEL_WINDOW_DAYS * day) };
  const modelClicks = await loadClicks(pool, modelSpan);
  const modelBrokers = await loadBrokers(pool, modelSpan);
  const model = estimateModel(modelClicks, modelBrokers);

  const lo = region.from.getTime() / 1000;
  const hi = region.to.getTime() / 1000;
  const near = (t: number) => t >= lo - CONTEXT_SECONDS && t <= hi + CONTEXT_SECONDS;
  const inside = (t: number) => t >= lo && t <= hi;
  const clicks = modelClicks.filter((c) => near(c.t));
  const brokers = modelBrokers.filter((b) => near(b.t));
  const period = await clickPeriod(pool);
  const result = matchRecords(clicks, brokers, model, { clickPeriod: period ?? undefined });

  // Verdicts are kept for what lies in the region, and for pairs reaching across its edge.
  const clickTime = new Map(clicks.map((c) => [c.id, c.t]));
  const brokerTime = new Map(brokers.map((b) => [b.id, b.t]));
  const pairs = result.pairs.filter((p) => inside(clickTime.get(p.clickId)!) || inside(brokerTime.get(p.brokerId)!));
  const unmatched = result.unmatched.filter((u) => inside(brokerTime.get(u.brokerId)!));

  await inTransaction(pool, async (tx) => {
    await tx.query('CREATE TEMP TABLE new_pairs (LIKE staging.match_pairs) ON COMMIT DROP');
    await pipeline(
      Readable.from(pairs.map((p) => copyLine([p.clickId, p.brokerId, p.lagSeconds, p.level, p.weight, p.probability, p.margin, batchId]))),
      tx.query(copyFrom('COPY new_pairs (conversion_id, broker_record_id, lag_seconds, country_level, weight, match_probability, margin, batch_id) FROM STDIN')),
    );
    // Replace every pair touching the region, and any older pair that shares a side with a new one.
    await tx.query(
      `DELETE FROM staging.match_pairs p
       WHERE p.conversion_id IN (SELECT conversion_id FROM staging.conversions WHERE clicked_at BETWEEN $1 AND $2)
          OR p.broker_record_id IN (SELECT broker_record_id FROM staging.broker_records WHERE registered_at BETWEEN $1 AND $2)
          OR p.conversion_id IN (SELECT conversion_id FROM new_pairs)
          OR p.broker_record_id IN (SELECT broker_record_id FROM new_pairs)`,
      [region.from, region.to],
    );
    await tx.query(
      `DELETE FROM staging.broker_unmatched u
       WHERE u.broker_record_id IN (SELECT broker_record_id FROM staging.broker_records WHERE registered_at BETWEEN $1 AND $2)
          OR u.broker_record_id IN (SELECT broker_record_id FROM new_pairs)`,
      [region.from, region.to],
    );
    await tx.query('INSERT INTO staging.match_pairs SELECT * FROM new_pairs');
    await failpoint('match:before-commit');
    await pipeline(
      Readable.from(unmatched.map((u) => copyLine([u.brokerId, u.reason, batchId]))),
      tx.query(copyFrom('COPY staging.broker_unmatched (broker_record_id, reason, batch_id) FROM STDIN')),
    );
  });
  return record(
    pool,
    batchId,
    {
      matched: pairs.length,
      brokerUnmatched: unmatched.length,
      candidatePairs: result.candidatePairs,
      estimatedFalseMatches: pairs.reduce((sum, p) => sum + (1 - p.probability), 0),
      chancePairsAtShift: result.chancePairsAtShift,
    },
    model,
  );
}

export async function batchRegion(pool: Pool, batchId: string): Promise<Region | null> {
  const { rows } = await pool.query<{ window_from: Date | null; window_to: Date | null }>(
    'SELECT window_from, window_to FROM ops.batches WHERE batch_id = $1',
    [batchId],
  );
  const w = rows[0];
  if (!w?.window_from || !w.window_to) return null;
  return {
    from: new Date(w.window_from.getTime() - MATCH_MARGIN_SECONDS * 1000),
    to: new Date(w.window_to.getTime() + MATCH_MARGIN_SECONDS * 1000),
  };
}

async function loadClicks(pool: Pool, r: Region): Promise<Click[]> {
  const { rows } = await pool.query<{ id: string; t: number; country: string | null }>(
    `SELECT conversion_id AS id, extract(epoch FROM clicked_at)::float8 AS t, country_code AS country
     FROM staging.conversions WHERE clicked_at BETWEEN $1 AND $2 ORDER BY clicked_at, conversion_id`,
    [r.from, r.to],
  );
  return rows;
}

async function loadBrokers(pool: Pool, r: Region): Promise<BrokerRecord[]> {
  const { rows } = await pool.query<{ id: string; t: number; ip: string | null; residency: string | null }>(
    `SELECT broker_record_id AS id, extract(epoch FROM registered_at)::float8 AS t, ip_country_code AS ip, residency_country_code AS residency
     FROM staging.broker_records WHERE registered_at BETWEEN $1 AND $2 ORDER BY registered_at, broker_record_id`,
    [r.from, r.to],
  );
  return rows;
}

/** Records outside the span of all click data cannot have a click; they are not failures. */
async function clickPeriod(pool: Pool): Promise<{ from: number; to: number } | null> {
  const { rows } = await pool.query<{ from: number | null; to: number | null }>(
    'SELECT extract(epoch FROM min(clicked_at))::float8 AS from, extract(epoch FROM max(clicked_at))::float8 AS to FROM staging.conversions',
  );
  return rows[0].from === null || rows[0].to === null ? null : { from: rows[0].from, to: rows[0].to };
}

async function record(pool: Pool, batchId: string, counts: MatchCounts, model: unknown): Promise<MatchCounts> {
  await pool.query(
    `INSERT INTO ops.match_runs (batch_id, matched, broker_unmatched, candidate_pairs, estimated_false_matches, chance_pairs_at_shift, model)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (batch_id) DO UPDATE SET matched = EXCLUDED.matched, broker_unmatched = EXCLUDED.broker_unmatched,
       candidate_pairs = EXCLUDED.candidate_pairs, estimated_false_matches = EXCLUDED.estimated_false_matches,
       chance_pairs_at_shift = EXCLUDED.chance_pairs_at_shift, model = EXCLUDED.model, finished_at = now()`,
    [batchId, counts.matched, counts.brokerUnmatched, counts.candidatePairs, counts.estimatedFalseMatches, counts.chancePairsAtShift, JSON.stringify(model)],
  );
  return counts;
}
