import type { RunnerTask } from 'vitest';
import { Client } from 'pg';
import { inject } from 'vitest';

/** The databases made for the test file running in this module's copy (one per file: vitest isolates them). */
const made: string[] = [];

async function admin<T>(body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database `journey_test_<name>_<pid>` on the run's server; its URL. */
export async function createTestDatabase(name: string): Promise<string> {
  const dbName = `journey_test_${name}_${process.pid}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(dbName)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(dbName)}`);
  });
  made.push(dbName);
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${dbName}`;
  return url.toString();
}

const failed = (task: Readonly<RunnerTask>): boolean => task.result?.state === 'fail' || ('tasks' in task && task.tasks.some(failed));

/**
 * After a test file (setup-databases.ts): its databases are dropped when it passed, so runs do
 * not pile them up on the server; after a failure they are kept, and named, to look into.
 */
export async function dropOrKeep(file: Readonly<RunnerTask>): Promise<void> {
  const names = made.splice(0);
  if (names.length === 0) return;
  if (failed(file)) {
    console.warn(`${file.name} failed: kept its database${names.length > 1 ? 's' : ''} ${names.join(', ')} on ${new URL(inject('pgAdminUrl')).host}`);
    return;
  }
  await admin(async (c) => {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
