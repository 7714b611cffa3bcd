import type { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPool } from '../activities/db/pool';
import { samplePostgres, type StatementTime } from './pg-sampler';
import { loadAverage } from './provenance';
import { createDatabase, dropDatabase, type Servers } from './servers';
import { startWorker, type WorkerProcess } from './worker-process';

/** The servers and client every measurement of one bench run shares. */
export interface Shared {
  servers: Servers;
  connection: Connection;
  client: Client;
}

export interface Workspace {
  client: Client;
  temporalAddress: string;
  database: string;
  databaseUrl: string;
  taskQueue: string;
  pool: Pool;
  workers: WorkerProcess[];
  /**
   * Runs `fn` while sampling which statements run on the database, and says how busy the
   * machine was as it began (the 1-minute load average): other work on it slows what follows.
   */
  profiled<T>(fn: () => Promise<T>): Promise<{ value: T; postgresProfile: StatementTime[]; loadAverage: number }>;
}

/** Statements kept from a profile. */
const PROFILE_STATEMENTS = 10;

/**
 * A fresh database and `workers` worker processes on a task queue of their own, so a
 * measurement starts from nothing and inherits nothing from the one before; all of it goes
 * afterwards, whatever happened.
 */
export async function onFreshDatabase<T>(shared: Shared, database: string, workers: number, log: (line: string) => void, fn: (w: Workspace) => Promise<T>): Promise<T> {
  const { pgAdminUrl, temporalAddress } = shared.servers;
  const databaseUrl = await createDatabase(pgAdminUrl, database);
  const taskQueue = `${database}-${Date.now()}`;
  const started: WorkerProcess[] = [];
  const pool = createPool(databaseUrl);
  try {
    for (let i = 0; i < workers; i++) started.push(await startWorker({ databaseUrl, temporalAddress, taskQueue, connection: shared.connection }, log));
    return await fn({
      client: shared.client,
      temporalAddress,
      database,
      databaseUrl,
      taskQueue,
      pool,
      workers: started,
      async profiled(run) {
        const load = loadAverage()[0];
        const sampler = await samplePostgres(databaseUrl, database);
        const [ran] = await Promise.allSettled([run()]);
        const postgresProfile = (await sampler.stop()).slice(0, PROFILE_STATEMENTS);
        if (ran.status === 'rejected') throw ran.reason;
        return { value: ran.value, postgresProfile, loadAverage: load };
      },
    });
  } finally {
    for (const w of started) await w.stop();
    await pool.end();
    await dropDatabase(pgAdminUrl, database).catch((e) => log(`could not drop ${database}: ${(e as Error).message}`));
  }
}
