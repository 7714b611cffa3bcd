import type { Command } from './command';
import { openServers, startWorker } from './environment';

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
    const servers = await openServers({ temporal: true, log: io.progress });
    const { config } = servers;
    const { address, uiUrl } = servers.temporal!;
    try {
      if (uiUrl) io.progress(`Temporal UI: ${uiUrl}`);
      const { worker, close } = await startWorker(servers);
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
        await close();
      }
    } finally {
      await servers.close();
    }
    return 0;
  },
};
