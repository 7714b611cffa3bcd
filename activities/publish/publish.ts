import type { Pool, PoolClient } from 'pg';
import type { BatchSummary } from '../../workflows/types';
import { analyzeIfStale } from '../db/analyze';
import { claimDays, clearClaim } from '../db/day-marks';
import { inTransaction, useBulkMemory } from '../db/pool';
import { failpoint } from '../failpoints';
import { CONTEXT_SECONDS, publishLocks, spans } from '../match/days';

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
    // mart (0.34 s, 0.05 s summarized). Summarizing reads only the new ranges. After the commit:
    // its lock (share update exclusive) would otherwise hold other publishes' summaries and
    // autovacuum until this one commits.
    await pool.query(`SELECT brin_summarize_new_values('mart.user_journey_day')`);
    // Statistics only for a mart that has none: without any, the next publish scanned the whole
    // mart for its span instead of using the BRIN index; with the first ones, later days, which
    // grow the mart at its end, still plan on the index. Re-taking them each time a day rewrote a
    // tenth of the mart was a fifth of a new day's publish at 10x (0.45 s of 2.1 s); autovacuum
    // keeps them fresh for readers.
    await analyzeIfStale(pool, { 'mart.user_journey': published }, Infinity);
  }
  return published;
}

/** Rewrites the mart rows of the conversions and records of [from, to); returns rows written. */
async function rebuild(tx: PoolClient, from: Date, to: Date, batchId: string): Promise<number> {
  // No keys on the touched sets: keeping a B-tree of 550k random ids cost more than the anti-joins
  // below that keep each id once. Each id carries the round that added it, so each round looks up
  // the partners and mart rows of the ids the round before added, by key, instead of joining all
  // of them against the whole of staging.match_pairs and the mart again (0.5 s of a new day's
  // 2.5 s at 10x, and growing with the history). Round 0 is the span's staged rows.
  await tx.query('CREATE TEMP TABLE pub_conv (conversion_id text NOT NULL, round int NOT NULL) ON COMMIT DROP');
  await tx.query('CREATE TEMP TABLE pub_broker (broker_record_id text NOT NULL, round int NOT NULL) ON COMMIT DROP');
  const span = [from, to];
  await tx.query(`INSERT INTO pub_conv SELECT conversion_id, 0 FROM staging.conversions WHERE clicked_at >= $1 AND clicked_at < $2`, span);
  await tx.query(`INSERT INTO pub_broker SELECT broker_record_id, 0 FROM staging.broker_records WHERE registered_at >= $1 AND registered_at < $2`, span);
  // Fresh temp tables have no statistics: the planner would take them for a few rows.
  await tx.query('ANALYZE pub_conv, pub_broker');
  // Round 0's mart rows: the span's, found by the BRIN index on the row's time (a matched row's
  // click is within two minutes of its record), not by scanning the whole mart; they may hold ids
  // a corrected delivery no longer has. Then by key the rows of the span's conversions whose click
  // time changed since they were published (a corrected or taken-over conversion keeps its id); a
  // broker record's id holds its registration time, so its row is the span's.
  let added =
    (await deleteAndCollect(
      tx,
      `(coalesce(m.clicked_at, m.registered_at) AT TIME ZONE 'UTC') >= ($1::timestamptz AT TIME ZONE 'UTC') - interval '1 day'
       AND (coalesce(m.clicked_at, m.registered_at) AT TIME ZONE 'UTC') < ($2::timestamptz AT TIME ZONE 'UTC') + interval '1 day'
       AND ((m.clicked_at >= $1 AND m.clicked_at < $2) OR (m.registered_at >= $1 AND m.registered_at < $2))`,
      span,
      1,
    )) + (await deleteAndCollect(tx, 'm.conversion_id = ANY (ARRAY(SELECT conversion_id FROM pub_conv WHERE round = 0))', [], 1));
  // Round 0's partners: those inside the span are in it already; the others lie within
  // CONTEXT_SECONDS beyond its edges, the farthest match pairs a click and a record (and the reach
  // publishLocks assumes), so they are found by the time indexes.
  for (const set of ['pub_conv', 'pub_broker'] as const) added += await addTouched(tx, set, partnersBeyondEdges(set), [from, to, CONTEXT_SECONDS], 1);
  for (let round = 1; added > 0; round++) added = (await closeOverPairs(tx, round)) + (await deleteAndCollect(tx, TOUCHED, [round], round + 1));

  // One statement for both kinds of row: the touched conversions with their pairs and records,
  // then the touched records that no pair holds. Each side is read through the span's time
  // index (round 0) and by key (the few later ids): joining the whole sets by key hashed all of
  // staging (a new day at 10x read the 1.1M staged rows of the history to write 80k). Not a
  // FULL JOIN of the two sides: at 100x its hash join on the pairs' record ids, a million of
  // them null, grew one PostgreSQL backend to 23 GB until the kernel killed it. A matched row
  // whose record is not touched fails the publish instead of leaving the record's old row.
  const { rows } = await tx.query<{ written: number; unclosed: number }>(
    `WITH written AS (
       INSERT INTO mart.user_journey (match_status, conversion_id, session_id, clicked_at, country_code, is_mobile, ui_element,
         measurement_category, page_category, broker_record_id, registered_at, residency_country_code, ip_country_code,
         important_score, lag_seconds, match_probability, flags, batch_id)
       SELECT CASE WHEN p.conversion_id IS NULL THEN 'conversion_only' ELSE 'matched' END,
              c.conversion_id, c.session_id, c.clicked_at, c.country_code, c.is_mobile, c.ui_element, c.measurement_category,
              c.page_category, b.broker_record_id, b.registered_at, b.residency_country_code, b.ip_country_code,
              b.important_score, p.lag_seconds, p.match_probability,
              CASE WHEN cardinality(c.flags) + coalesce(cardinality(b.flags), 0) = 0 THEN '{}'
                   ELSE ARRAY(SELECT DISTINCT f FROM unnest(c.flags || coalesce(b.flags, '{}')) f ORDER BY f) END, $3
       FROM (${touchedRows('pub_conv')}) c
       LEFT JOIN staging.match_pairs p USING (conversion_id)
       LEFT JOIN staging.broker_records b ON b.broker_record_id = p.broker_record_id
       UNION ALL
       SELECT 'broker_only', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, b.broker_record_id, b.registered_at,
              b.residency_country_code, b.ip_country_code, b.important_score, NULL, NULL, b.flags, $3
       FROM (${touchedRows('pub_broker')}) b
       WHERE NOT EXISTS (SELECT 1 FROM staging.match_pairs p WHERE p.broker_record_id = b.broker_record_id)
       RETURNING match_status, broker_record_id)
     SELECT (SELECT count(*) FROM written)::int AS written,
            (SELECT count(*) FROM written w WHERE w.match_status = 'matched'
               AND NOT EXISTS (SELECT 1 FROM pub_broker t WHERE t.broker_record_id = w.broker_record_id))::int AS unclosed`,
    [from, to, batchId],
  );
  if (rows[0].unclosed > 0) throw new Error(`publish of ${from.toISOString()}..${to.toISOString()}: ${rows[0].unclosed} rows have a partner outside the touched rows`);
  await tx.query('DROP TABLE pub_conv, pub_broker');
  return rows[0].written;
}

/**
 * SQL: the staged rows of a touched set. Round 0's are read through the time index over the span
 * ($1, $2), the later rounds' few by key: joining the whole set by key hashed all of staging (a
 * new day at 10x read the 1.1M staged rows of the history to write 80k).
 */
function touchedRows(set: TouchedSet): string {
  const { table, key, time } = SIDES[set];
  return `SELECT s.* FROM ${table} s WHERE s.${time} >= $1 AND s.${time} < $2 AND s.${key} IN (SELECT ${key} FROM ${set} WHERE round = 0)
          UNION ALL
          SELECT s.* FROM ${set} t JOIN ${table} s USING (${key}) WHERE t.round > 0`;
}

/**
 * SQL: the partners, of the kind `set` holds, of the other kind's staged rows in the span
 * [$1, $2), among the rows within $3 seconds beyond its edges.
 */
function partnersBeyondEdges(set: TouchedSet): string {
  const near = SIDES[set];
  const far = SIDES[set === 'pub_conv' ? 'pub_broker' : 'pub_conv'];
  return `SELECT p.${near.key} FROM ${near.table} n JOIN staging.match_pairs p USING (${near.key}) JOIN ${far.table} f USING (${far.key})
          WHERE ((n.${near.time} >= $1::timestamptz - $3::int * interval '1 second' AND n.${near.time} < $1)
                 OR (n.${near.time} >= $2 AND n.${near.time} < $2::timestamptz + $3::int * interval '1 second'))
            AND f.${far.time} >= $1 AND f.${far.time} < $2`;
}

/** Mart rows holding an id the round ($1) added. As arrays, so that each is found through its unique index. */
const TOUCHED = `m.conversion_id = ANY (ARRAY(SELECT conversion_id FROM pub_conv WHERE round = $1))
  OR m.broker_record_id = ANY (ARRAY(SELECT broker_record_id FROM pub_broker WHERE round = $1))`;

/** Deletes mart rows matching `where` and adds the ids they held to the touched sets, as round `into`; returns ids added. */
async function deleteAndCollect(tx: PoolClient, where: string, params: unknown[], into: number): Promise<number> {
  const round = `$${params.length + 1}::int`;
  const { rows } = await tx.query<{ n: number }>(
    `WITH gone AS (DELETE FROM mart.user_journey m WHERE ${where} RETURNING conversion_id, broker_record_id),
          c AS (${addTouchedSql('pub_conv', 'SELECT conversion_id FROM gone', round)} RETURNING 1),
          b AS (${addTouchedSql('pub_broker', 'SELECT broker_record_id FROM gone', round)} RETURNING 1)
     SELECT ((SELECT count(*) FROM c) + (SELECT count(*) FROM b))::int AS n`,
    [...params, into],
  );
  return rows[0].n;
}

/** Adds the partners of the ids the round added; returns how many were new. */
async function closeOverPairs(tx: PoolClient, round: number): Promise<number> {
  const partners = (set: TouchedSet, other: TouchedSet) =>
    `SELECT p.${SIDES[set].key} FROM staging.match_pairs p JOIN ${other} t USING (${SIDES[other].key}) WHERE t.round = $1`;
  return (
    (await addTouched(tx, 'pub_conv', partners('pub_conv', 'pub_broker'), [round], round + 1)) +
    (await addTouched(tx, 'pub_broker', partners('pub_broker', 'pub_conv'), [round], round + 1))
  );
}

/** The two touched sets and the staged rows their ids name. */
const SIDES = {
  pub_conv: { table: 'staging.conversions', key: 'conversion_id', time: 'clicked_at' },
  pub_broker: { table: 'staging.broker_records', key: 'broker_record_id', time: 'registered_at' },
} as const;
type TouchedSet = keyof typeof SIDES;

/** Adds the ids `select` (with `params`) yields to a touched set as round `into`; returns how many were new. */
async function addTouched(tx: PoolClient, set: TouchedSet, select: string, params: unknown[], into: number): Promise<number> {
  const { rowCount } = await tx.query(addTouchedSql(set, select, `$${params.length + 1}::int`), [...params, into]);
  return rowCount ?? 0;
}

/** SQL adding the ids `select` yields (its one column) to a touched set as round `round`, each id once. */
function addTouchedSql(set: TouchedSet, select: string, round: string): string {
  const key = SIDES[set].key;
  return `INSERT INTO ${set} SELECT s.${key}, ${round} FROM (${select}) s
          WHERE s.${key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${set} x WHERE x.${key} = s.${key})`;
}
