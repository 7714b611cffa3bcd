import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger } from '@temporalio/worker';
import type { Pool } from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../activities/db/migrate';
import { createPool } from '../../activities/db/pool';
import { projectRoot } from '../../infra/paths';
import { createWorker } from '../../worker';
import type { Environment } from '../../client/environment';
import { createTestDatabase } from './databases';

export const ROOT = projectRoot(__dirname);

export interface TestEnv extends Environment {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  /** A `journey worker` process on this file's database and task queue. */
  spawnWorker(extraEnv?: Record<string, string>): ChildProcess;
  /** Runs the built CLI against this file's database and task queue. */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The last stdout line parsed, for `--json`. */
  json: () => any;
}

let runtimeReady = false;

/** The SDK's runtime, once per process: its logs at WARN, so a test run prints what matters. */
export function installTestRuntime(): void {
  if (runtimeReady) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeReady = true;
}

/**
 * A fresh database and task queue for one test file, served by an in-process worker on the
 * shared dev server: nothing from an earlier run or another file can leak in. The database is
 * dropped after the file if it passed (setup-databases.ts).
 */
export async function createTestEnv(name: string, opts: { worker?: boolean } = {}): Promise<TestEnv> {
  installTestRuntime();
  const temporalAddress = inject('temporalAddress');
  const databaseUrl = await createTestDatabase(name);

  const pool: Pool = createPool(databaseUrl);
  await migrate(pool);
  const taskQueue = `test-${name}-${process.pid}-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker =
    opts.worker === false
      ? null
      : await createWorker({ connection: nativeConnection, namespace: 'default', taskQueue, pool, workflowBundlePath: inject('workflowBundle') });
  const running = worker?.run();
  const connection = await Connection.connect({ address: temporalAddress });
  const client = new TemporalClient({ connection, namespace: 'default' });

  const env: TestEnv = {
    config: { namespace: 'default', taskQueue, dataDir: path.join(ROOT, '.data', 'test'), databaseUrl, temporalAddress, logLevel: 'WARN' },
    pool,
    databaseLabel: databaseUrl,
    databaseUrl,
    temporalAddress,
    taskQueue,
    temporal: { client, address: temporalAddress, taskQueue },
    spawnWorker: (extraEnv = {}) =>
      spawn(process.execPath, [path.join(ROOT, 'bin', 'journey.js'), 'worker'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, JOURNEY_TASK_QUEUE: taskQueue, ...extraEnv },
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    cli: (args, extraEnv = {}) =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [path.join(ROOT, 'bin', 'journey.js'), ...args],
          {
            cwd: ROOT,
            env: { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, JOURNEY_TASK_QUEUE: taskQueue, ...extraEnv },
            maxBuffer: 64 * 1024 * 1024,
          },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
            resolve({ code, stdout, stderr, json: () => JSON.parse(stdout.trim().split('\n').pop() ?? '') });
          },
        );
      }),
    async close() {
      worker?.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await pool.end();
    },
  };
  return env;
}
