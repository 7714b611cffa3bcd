import type { Pool } from 'pg';

/**
 * Share of a table's rows that must have changed since its statistics were taken before a
 * step takes them again: autovacuum's own default (autovacuum_analyze_scale_factor).
 */
const STALE_SHARE = 0.1;

/**
 * Takes fresh planner statistics of the tables a step just wrote (`written`: rows it wrote
 * each) when they changed by more than a tenth since their last ANALYZE, or were never
 * analyzed. A big batch is analyzed before anything plans on it: without statistics the
 * planner took a batch's 5M rows for a few thousand and joined them row by row (42 s at
 * 100x). A day of a long history is not: re-sampling every table after every daily batch
 * was a fifth of a backfill's statements. The server's change counters may not yet hold the
 * transaction that just committed (they are flushed about once a second), so the step's own
 * count is added to them. `staleShare` replaces the tenth for a table whose plans need less
 * (Infinity: only a table never analyzed). Call after the commit: ANALYZE holds a lock that
 * would make other batches' steps wait for this one's commit.
 */
export async function analyzeIfStale(pool: Pool, written: Record<string, number>, staleShare = STALE_SHARE): Promise<string[]> {
  const tables = Object.keys(written);
  const { rows } = await pool.query<{ name: string; reltuples: number; changed: number }>(
    `SELECT t.name, c.reltuples::float8 AS reltuples, coalesce(s.n_mod_since_analyze, 0)::float8 AS changed
     FROM unnest($1::text[]) AS t(name)
     JOIN pg_class c ON c.oid = t.name::regclass
     LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid`,
    [tables],
  );
  // A table whose statistics say it is empty is stale once anything changed, whatever the share.
  const stale = rows
    .filter((r) => r.reltuples < 0 || r.changed + written[r.name] > (r.reltuples > 0 ? staleShare * r.reltuples : 0))
    .map((r) => r.name);
  // Names come from the callers' code, never from data.
  if (stale.length > 0) await pool.query(`ANALYZE ${stale.join(', ')}`);
  return stale;
}
