/**
 * Server settings for the PostgreSQL servers the project starts itself: the embedded one of
 * `npm start` and the one in docker-compose.yml (its test checks that it passes the same).
 * The machine's or a company's server is never changed: these are for servers we own.
 *
 * Why each, for a pipeline that bulk-loads a batch with COPY, indexes after the load, and
 * rewrites spans of days in single transactions:
 */
export const BULK_LOAD_SETTINGS: Readonly<Record<string, string>> = {
  // The default 128 MB is less than the staging indexes at 10x: inserts then read index pages
  // back from the OS cache. A quarter of a small machine's memory is the usual ceiling.
  shared_buffers: '512MB',
  // Index builds after a bulk load and ANALYZE sort in memory instead of spilling to disk.
  maintenance_work_mem: '512MB',
  // Publish and match join and sort a day's rows in memory (per sort node, per connection).
  work_mem: '64MB',
  // A batch's COPY writes gigabytes of WAL at 100x; with the default 1 GB ceiling a load
  // triggers a checkpoint every few seconds, each followed by full-page writes.
  max_wal_size: '8GB',
  min_wal_size: '1GB',
  checkpoint_timeout: '15min',
  checkpoint_completion_target: '0.9',
  // No replica reads this server's WAL: `minimal` lets COPY into a table created or truncated
  // in the same transaction skip WAL (PostgreSQL's own bulk-load advice).
  wal_level: 'minimal',
  max_wal_senders: '0',
  // Durability stays: fsync and synchronous_commit keep their defaults, because a batch that
  // Temporal saw complete must still be in the database after a crash.
};

/** As `-c name=value` arguments of the `postgres` command. */
export function settingsArgs(settings: Readonly<Record<string, string>> = BULK_LOAD_SETTINGS): string[] {
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}
