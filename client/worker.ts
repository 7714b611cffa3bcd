import { NativeConnection } from '@temporalio/worker';
import path from 'node:path';
import { migrate } from '../activities/db/migrate';
import { createPool } from '../activities/db/pool';
import { loadConfig } from '../infra/config';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { startDevServer } from '../infra/temporal-dev-server';
import { createWorker } from '../worker';
import type { Command } from './command';
import { installRuntime } from './environment';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a worker on the task queue until interrupted',
  help: `usage: journey worker

Polls JOURNEY_TASK_QUEUE (default 'journey') on TEMPORAL_ADDRESS and runs batch workflows and
their activities against DATABASE_URL. Start as many as you like, on any machine: they share
the work. JOURNEY_METRICS_PORT exposes Prometheus metrics. Stops cleanly on Ctrl-C / SIGTERM
(finishing the tasks in hand). Without TEMPORAL_ADDRESS / DATABASE_URL it starts the embedded
servers first.`,
  options: {},
  async run(_values, io) {
    const config = loadConfig();
    installRuntime(config.metricsPort);
    const stops: (() => Promise<void>)[] = [];
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const db = await startEmbeddedPostgres(config.dataDir, io.progress);
      stops.push(db.stop);
      databaseUrl = db.url;
    }
    let address = config.temporalAddress;
    if (!address) {
      const server = await startDevServer({ dbFile: path.join(config.dataDir, 'temporal.db'), log: io.progress });
      stops.push(server.stop);
      address = server.address;
      if (server.uiUrl) io.progress(`Temporal UI: ${server.uiUrl}`);
    }
    const pool = createPool(databaseUrl);
    await migrate(pool);
    const connection = await NativeConnection.connect({ address });
    const worker = await createWorker({ connection, namespace: config.namespace, taskQueue: config.taskQueue, pool });
    const stop = () => worker.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.progress(
      `worker on task queue '${config.taskQueue}' at ${address} (namespace ${config.namespace})` +
        (config.metricsPort ? `, metrics on :${config.metricsPort}/metrics` : ''),
    );
    try {
      await worker.run();
    } finally {
      await connection.close();
      await pool.end();
      for (const s of stops.reverse()) await s();
    }
    return 0;
  },
};
