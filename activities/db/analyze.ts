import type { Pool, PoolClient } from 'pg';

/**
 * Share of a table's rows that must have changed since its statistics were taken before a
 * step takes them again: autovacuum's own default (autovacuum_analyze_scale_factor).
 */
const STALE_SHARE = 0.1;

/**
 * The columns the pipeline's statements filter, join or range on, by table: statistics are
 * taken of these alone. A whole-table ANALYZE also sampled every text and array column (the
 * mart's flags, countries, categories) that no step plans on, and cost 3x as much (the 1x
 * mart 227 ms against 85 ms, staging 217 ms against 66 ms): a tenth of a 1x run. Autovacuum
 * still analyzes every column, for the report's queries.
 */
const PLANNED_COLUMNS: Record<string, readonly string[]> = {
  'staging.conversions': ['conversion_id', 'batch_id', 'clicked_at'],
  'staging.broker_records': ['broker_record_id', 'batch_id', 'registered_at'],
  'staging.match_pairs': ['conversion_id', 'broker_record_id', 'batch_id'],
  'staging.broker_unmatched': ['broker_record_id', 'batch_id'],
  'mart.user_journey': ['conversion_id', 'broker_record_id', 'clicked_at', 'registered_at', 'batch_id'],
};

/**
 * Takes fresh planner statistics of the tables a step just wrote (`written`: rows it wrote
 * each) when they changed by more than a tenth since their last ANALYZE, or were never
 * analyzed. A big batch is analyzed before anything plans on it: without statistics the
 * planner took a batch's 5M rows for a few thousand and joined them row by row (42 s at
 * 100x). A day of a long history is not: re-sampling every table after every daily batch
 * was a fifth of a backfill's statements. The server's change counters may not yet hold the
 * transaction that just committed (they are flushed about once a second), so the step's own
 * count is added to them. `staleShare` replaces the tenth for a table whose plans need less
 * (Infinity: only a table never analyzed). Call after the commit where other batches' steps
 * may analyze the same tables (ANALYZE's lock would make them wait for this one's commit); in
 * a transaction only where a single step should take them (a match of batches staged together).
 */
export async function analyzeIfStale(pool: Pool | PoolClient, written: Record<string, number>, staleShare = STALE_SHARE): Promise<string[]> {
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
  const target = (t: string) => (PLANNED_COLUMNS[t] ? `${t} (${PLANNED_COLUMNS[t].join(', ')})` : t);
  if (stale.length > 0) await pool.query(`ANALYZE ${stale.map(target).join(', ')}`);
  return stale;
}
