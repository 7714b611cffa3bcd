import type { Pool, PoolClient } from 'pg';
import type { BatchSummary } from '../../workflows/types';
import { inTransaction, useBulkMemory } from '../db/pool';
import { failpoint } from '../failpoints';
import { MATCH_LOCK, matchedSpan } from '../match/activity';

/**
 * Rebuilds the mart rows of everything the batch touched (its rows and the span of days its
 * match rewrote), in one transaction, so readers see
 * the old rows or the new ones and a rerun writes the same rows again.
 *
 * "Touched" is closed under pairing: a conversion in the span pulls in its broker record
 * and vice versa, and every mart row that is deleted brings its ids back in to be rewritten
 * in their current state, so no row is lost or written twice when pairs change.
 */
export async function publishBatch(pool: Pool, batchId: string, summary: Omit<BatchSummary, 'published' | 'status'>): Promise<number> {
  return inTransaction(pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MATCH_LOCK]);
    await useBulkMemory(tx);
    const span = await matchedSpan(tx, batchId);
    // No keys on the touched sets: keeping a B-tree of 550k random ids cost more than the anti-joins
    // below that keep each id once.
    await tx.query('CREATE TEMP TABLE pub_conv (conversion_id text NOT NULL) ON COMMIT DROP');
    await tx.query('CREATE TEMP TABLE pub_broker (broker_record_id text NOT NULL) ON COMMIT DROP');
    // The match span holds the batch's own rows (their days and the days around them).
    const [clicked, registered, params] = span
      ? ['clicked_at >= $1 AND clicked_at < $2', 'registered_at >= $1 AND registered_at < $2', [span.from, span.to]]
      : ['batch_id = $1', 'batch_id = $1', [batchId]];
    await tx.query(`INSERT INTO pub_conv SELECT conversion_id FROM staging.conversions WHERE ${clicked}`, params);
    await tx.query(`INSERT INTO pub_broker SELECT broker_record_id FROM staging.broker_records WHERE ${registered}`, params);
    // Fresh temp tables have no statistics: the planner would take them for a few rows.
    await tx.query('ANALYZE pub_conv, pub_broker');
    // Rows this batch published before may hold ids that a corrected delivery no longer has.
    await deleteAndCollect(tx, 'm.batch_id = $1', [batchId]);
    while ((await closeOverPairs(tx)) + (await deleteAndCollect(tx, TOUCHED, [])) > 0);

    const conv = await tx.query(
      `INSERT INTO mart.user_journey (match_status, conversion_id, session_id, clicked_at, country_code, is_mobile, ui_element,
         measurement_category, page_category, broker_record_id, registered_at, residency_country_code, ip_country_code,
         important_score, lag_seconds, match_probability, flags, batch_id)
       SELECT CASE WHEN p.conversion_id IS NULL THEN 'conversion_only' ELSE 'matched' END,
              c.conversion_id, c.session_id, c.clicked_at, c.country_code, c.is_mobile, c.ui_element, c.measurement_category,
              c.page_category, b.broker_record_id, b.registered_at, b.residency_country_code, b.ip_country_code,
              b.important_score, p.lag_seconds, p.match_probability,
              CASE WHEN cardinality(c.flags) + coalesce(cardinality(b.flags), 0) = 0 THEN '{}'
                   ELSE ARRAY(SELECT DISTINCT f FROM unnest(c.flags || coalesce(b.flags, '{}')) f ORDER BY f) END, $1
       FROM pub_conv
       JOIN staging.conversions c USING (conversion_id)
       LEFT JOIN staging.match_pairs p USING (conversion_id)
       LEFT JOIN staging.broker_records b ON b.broker_record_id = p.broker_record_id`,
      [batchId],
    );
    const broker = await tx.query(
      `INSERT INTO mart.user_journey (match_status, broker_record_id, registered_at, residency_country_code, ip_country_code,
         important_score, flags, batch_id)
       SELECT 'broker_only', b.broker_record_id, b.registered_at, b.residency_country_code, b.ip_country_code,
              b.important_score, b.flags, $1
       FROM pub_broker
       JOIN staging.broker_records b USING (broker_record_id)
       WHERE NOT EXISTS (SELECT 1 FROM staging.match_pairs p WHERE p.broker_record_id = b.broker_record_id)`,
      [batchId],
    );
    const published = (conv.rowCount ?? 0) + (broker.rowCount ?? 0);
    // The next batch's publish plans its deletes on these statistics.
    await tx.query('ANALYZE mart.user_journey');
    await tx.query(
      `UPDATE ops.batches SET status = 'completed', step = 'publish', finished_at = now(), error = NULL, summary = $2 WHERE batch_id = $1`,
      [batchId, JSON.stringify({ ...summary, status: 'completed', published })],
    );
    await failpoint('publish:before-commit');
    return published;
  });
}

const TOUCHED =
  'm.conversion_id IN (SELECT conversion_id FROM pub_conv) OR m.broker_record_id IN (SELECT broker_record_id FROM pub_broker)';

/** Deletes mart rows matching `where` and adds the ids they held to the touched sets; returns ids added. */
async function deleteAndCollect(tx: PoolClient, where: string, params: unknown[]): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH gone AS (DELETE FROM mart.user_journey m WHERE ${where} RETURNING conversion_id, broker_record_id),
          c AS (${addTouched('pub_conv', 'SELECT conversion_id FROM gone')} RETURNING 1),
          b AS (${addTouched('pub_broker', 'SELECT broker_record_id FROM gone')} RETURNING 1)
     SELECT ((SELECT count(*) FROM c) + (SELECT count(*) FROM b))::int AS n`,
    params,
  );
  return rows[0].n;
}

/** Adds the partners of touched ids; returns how many were new. */
async function closeOverPairs(tx: PoolClient): Promise<number> {
  const c = await tx.query(addTouched('pub_conv', 'SELECT p.conversion_id FROM staging.match_pairs p JOIN pub_broker USING (broker_record_id)'));
  const b = await tx.query(addTouched('pub_broker', 'SELECT p.broker_record_id FROM staging.match_pairs p JOIN pub_conv USING (conversion_id)'));
  return (c.rowCount ?? 0) + (b.rowCount ?? 0);
}

const TOUCHED_KEY = { pub_conv: 'conversion_id', pub_broker: 'broker_record_id' } as const;

/** SQL adding the ids `select` yields (its one column) to a touched set, each id once. */
function addTouched(set: keyof typeof TOUCHED_KEY, select: string): string {
  const key = TOUCHED_KEY[set];
  return `INSERT INTO ${set} SELECT s.${key} FROM (${select}) s
          WHERE s.${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${set} x WHERE x.${key} = s.${key})`;
}
