import type { Pool, PoolClient } from 'pg';
import type { BatchSummary } from '../../workflows/types';
import { analyzeIfStale } from '../db/analyze';
import { claimDays, clearClaim } from '../db/day-marks';
import { inTransaction, useBulkMemory } from '../db/pool';
import { failpoint } from '../failpoints';
import { publishLocks, spans } from '../match/days';

/**
 * Rebuilds the mart rows of the days matching marked for publish (the batch's own and any
 * other batch's nearby), in one transaction, so readers see the old rows or the new ones and a
 * rerun writes the same rows again. A batch whose days another batch's publish already
 * rebuilt publishes nothing; its workflow still returns after its rows are in the mart,
 * because it waits for the locks of a publish still rebuilding them.
 *
 * "Touched" is closed under pairing: a conversion in the span pulls in its broker record
 * and vice versa, and every mart row that is deleted brings its ids back in to be rewritten
 * in their current state, so no row is lost or written twice when pairs change.
 */
export async function publishBatch(pool: Pool, batchId: string, summary: Omit<BatchSummary, 'published' | 'status'>): Promise<number> {
  const published = await inTransaction(pool, async (tx) => {
    await useBulkMemory(tx);
    const claim = await claimDays(tx, 'publish', batchId, publishLocks);
    let published = 0;
    for (const { from, to } of spans(claim.days)) published += await rebuild(tx, new Date(from * 1000), new Date(to * 1000), batchId);
    await clearClaim(tx, claim);
    await tx.query(
      `UPDATE ops.batches SET status = 'completed', step = 'publish', finished_at = now(), error = NULL, summary = $2 WHERE batch_id = $1`,
      [batchId, JSON.stringify({ ...summary, status: 'completed', published })],
    );
    await failpoint('publish:before-commit');
    return published;
  });
  if (published > 0) {
    // The next publish finds its span's rows by the BRIN index, which skips only the page ranges
    // it has summarized, and nothing summarizes the ranges a publish appended but a VACUUM whose
    // time autovacuum picks: unsummarized, the new day's delete at 10x read every page of the
    // mart (0.34 s, 0.05 s summarized). Summarizing reads only the new ranges. After the commit,
    // like ANALYZE, because it takes a lock that queues behind other publishes' ones.
    await pool.query(`SELECT brin_summarize_new_values('mart.user_journey_day')`);
    // The next publish plans its deletes on these statistics.
    await analyzeIfStale(pool, { 'mart.user_journey': published });
  }
  return published;
}

/** Rewrites the mart rows of the conversions and records of [from, to); returns rows written. */
async function rebuild(tx: PoolClient, from: Date, to: Date, batchId: string): Promise<number> {
  // No keys on the touched sets: keeping a B-tree of 550k random ids cost more than the anti-joins
  // below that keep each id once.
  await tx.query('CREATE TEMP TABLE pub_conv (conversion_id text NOT NULL) ON COMMIT DROP');
  await tx.query('CREATE TEMP TABLE pub_broker (broker_record_id text NOT NULL) ON COMMIT DROP');
  await tx.query('INSERT INTO pub_conv SELECT conversion_id FROM staging.conversions WHERE clicked_at >= $1 AND clicked_at < $2', [from, to]);
  await tx.query('INSERT INTO pub_broker SELECT broker_record_id FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2', [from, to]);
  // Fresh temp tables have no statistics: the planner would take them for a few rows.
  await tx.query('ANALYZE pub_conv, pub_broker');
  // The span's mart rows may hold ids a corrected delivery no longer has. Found by the BRIN
  // index on the row's time (a matched row's click is within two minutes of its record),
  // not by scanning the whole mart.
  await deleteAndCollect(
    tx,
    `(coalesce(m.clicked_at, m.registered_at) AT TIME ZONE 'UTC') >= ($1::timestamptz AT TIME ZONE 'UTC') - interval '1 day'
     AND (coalesce(m.clicked_at, m.registered_at) AT TIME ZONE 'UTC') < ($2::timestamptz AT TIME ZONE 'UTC') + interval '1 day'
     AND ((m.clicked_at >= $1 AND m.clicked_at < $2) OR (m.registered_at >= $1 AND m.registered_at < $2))`,
    [from, to],
  );
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
  await tx.query('DROP TABLE pub_conv, pub_broker');
  return (conv.rowCount ?? 0) + (broker.rowCount ?? 0);
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
