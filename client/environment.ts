import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { migrate } from '../activities/db/migrate';
import { createPool } from '../activities/db/pool';
import { loadConfig, type Config } from '../infra/config';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { SEARCH_ATTRIBUTES, startDevServer } from '../infra/temporal-dev-server';
import { createWorker } from '../worker';

export interface Environment {
  config: Config;
  pool: Pool;
  /** Where the data is, for people: the URL without its password. */
  databaseLabel: string;
  temporal?: { client: Client; address: string; uiUrl?: string; taskQueue: string };
  close(): Promise<void>;
}

export interface EnvironmentOptions {
  temporal: boolean;
  /** Run a worker in this process for the command's duration (`--with-worker`, or no TEMPORAL_ADDRESS). */
  withWorker?: boolean;
  log: (line: string) => void;
}

let runtimeInstalled = false;

/** Worker logs go to stderr (at JOURNEY_LOG_LEVEL, WARN by default), so stdout stays clean for `--json`. */
function installRuntime({ logLevel, metricsPort }: Config): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger(logLevel, (entry) => process.stderr.write(`[temporal ${entry.level}] ${entry.message}\n`)),
    ...(metricsPort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}` } } } } : {}),
  });
}

/** Closes what was opened, last first; one that fails to close does not keep the others open. */
const closingAll = (closers: (() => Promise<void>)[]) => async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
};

/** The servers of the environment, reached or started: a pool on the migrated database, and Temporal's address. */
export interface Servers {
  config: Config;
  pool: Pool;
  databaseLabel: string;
  /** Present when asked for with `temporal`. */
  temporal?: { address: string; uiUrl?: string };
  close(): Promise<void>;
}

/**
 * Connects to what the environment names and starts embedded servers for what it leaves out
 * (docs/interface.md): a zero-config first run and a production deployment use one code path,
 * and so do the commands and `journey worker`.
 */
export async function openServers(opts: { temporal: boolean; log: (line: string) => void }): Promise<Servers> {
  const config = loadConfig();
  const closers: (() => Promise<void>)[] = [];
  const close = closingAll(closers);
  try {
    let url = config.databaseUrl;
    if (!url) {
      const db = await startEmbeddedPostgres(config.dataDir, opts.log);
      closers.push(db.stop);
      url = db.url;
    }
    const pool = createPool(url);
    closers.push(() => pool.end());
    await migrate(pool);
    const databaseLabel = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1@');
    if (!opts.temporal) return { config, pool, databaseLabel, close };

    installRuntime(config);
    if (config.temporalAddress) return { config, pool, databaseLabel, temporal: { address: config.temporalAddress }, close };
    const server = await startDevServer({ dbFile: path.join(config.dataDir, 'temporal.db'), log: opts.log });
    closers.push(server.stop);
    return { config, pool, databaseLabel, temporal: { address: server.address, uiUrl: server.uiUrl }, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** A worker of this process on the environment's task queue; `close` ends its connection once it has stopped. */
export async function startWorker(servers: Servers): Promise<{ worker: Worker; close(): Promise<void> }> {
  const { config, pool } = servers;
  const connection = await NativeConnection.connect({ address: servers.temporal!.address });
  const worker = await createWorker({ connection, namespace: config.namespace, taskQueue: config.taskQueue, pool });
  return { worker, close: () => connection.close() };
}

/** The servers, a Temporal client when asked for, and a worker in this process when the command needs one. */
export async function openEnvironment(opts: EnvironmentOptions): Promise<Environment> {
  const servers = await openServers(opts);
  const { config, pool, databaseLabel } = servers;
  const closers: (() => Promise<void>)[] = [servers.close];
  const close = closingAll(closers);
  if (!servers.temporal) return { config, pool, databaseLabel, close };
  try {
    const { address, uiUrl } = servers.temporal;
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: config.namespace });
    if (config.temporalAddress) await ensureSearchAttributes(connection, config.namespace, opts.log);

    if (opts.withWorker || !config.temporalAddress) {
      const { worker, close: closeWorker } = await startWorker(servers);
      const running = worker.run();
      closers.push(async () => {
        worker.shutdown();
        await running;
        await closeWorker();
      });
    }
    return { config, pool, databaseLabel, temporal: { client, address, uiUrl, taskQueue: config.taskQueue }, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The dev server registers them at start; a real cluster may not have them yet. */
async function ensureSearchAttributes(connection: Connection, namespace: string, log: (line: string) => void): Promise<void> {
  const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
  const searchAttributes = Object.fromEntries(Object.keys(SEARCH_ATTRIBUTES).map((k) => [k, KEYWORD]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (e) {
    const code = (e as { code?: number }).code;
    if (code !== 6 /* ALREADY_EXISTS */) log(`could not register search attributes (${(e as Error).message}); continuing`);
  }
}
