import { Client } from 'pg';
import { pollEvery } from './poll';

export interface StatementTime {
  /** The statement's first words; `(none active)` while no statement ran (the worker computing, or Temporal). */
  statement: string;
  seconds: number;
}

const EVERY_MS = 1000;
const IDLE = '(none active)';
const KEY_CHARS = 90;

/**
 * Samples which statements run on a database once a second: inside a long step, it says which
 * statement the time goes to, without touching the server's configuration.
 */
export async function samplePostgres(databaseUrl: string, database: string): Promise<{ stop(): Promise<StatementTime[]> }> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'journey-bench-sampler' });
  await client.connect();
  const seconds = new Map<string, number>();
  const add = (key: string) => seconds.set(key, (seconds.get(key) ?? 0) + EVERY_MS / 1000);
  const poll = pollEvery(EVERY_MS, async () => {
    const { rows } = await client.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
      [database],
    );
    if (rows.length === 0) add(IDLE);
    for (const r of rows) add(r.query.replace(/\s+/g, ' ').trim().slice(0, KEY_CHARS));
  });
  return {
    async stop() {
      await poll.stop();
      await client.end().catch(() => {});
      return [...seconds].map(([statement, s]) => ({ statement, seconds: s })).sort((a, b) => b.seconds - a.seconds);
    },
  };
}
