import { Pool, type PoolClient } from 'pg';

/**
 * An activity holds at most two connections at once (a transaction and a reader beside it),
 * and a worker runs four activities at a time: ten never starve each other.
 */
export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, application_name: 'journey' });
  // A client that loses its server (restart, terminated backend) must not crash the process
  // with an unhandled 'error' event, idle or checked out: its query fails and the activity retries.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** Runs `fn` in one transaction: a batch's writes land all together or not at all. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Memory for the hash joins and sorts of one set-based batch statement. PostgreSQL's default
 * (4 MB) spills a 10x batch's joins to disk in 16 passes; this stays local to the transaction,
 * so other sessions of the server keep their own setting.
 */
export async function useBulkMemory(tx: PoolClient): Promise<void> {
  await tx.query("SET LOCAL work_mem = '64MB'");
}
