import type { Connection } from '@temporalio/client';
import { spawnJourney } from './journey-process';
import { PeakRss } from './memory';

// temporal.api.enums.v1.TaskQueueType: pollers of both kinds must be there before the clock starts.
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 } as const;

export interface WorkerProcess {
  pid: number;
  /** Peak RSS (VmHWM) once the worker was ready: its start-up cost, bundling the workflows included. */
  startupPeakBytes: number;
  /** Peak RSS of the process's whole life so far. */
  peakBytes(): number;
  /** Settles when the process exits, with how it ended. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/**
 * `journey worker` as its own process, as deployed, so its memory is its own: the benchmark's
 * data generation and client do not count against it.
 */
export async function startWorker(
  opts: { databaseUrl: string; temporalAddress: string; taskQueue: string; connection: Connection },
  log: (line: string) => void,
): Promise<WorkerProcess> {
  const { child, pid, exited: ended } = spawnJourney(['worker'], opts, log);
  const exited = ended.then((e) => e.message);
  const rss = new PeakRss(pid);
  const stop = () =>
    new Promise<void>((resolve) => {
      rss.stop();
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  try {
    await Promise.race([waitForPollers(opts.connection, opts.taskQueue, pid), exited.then((m) => Promise.reject(new Error(m)))]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid, startupPeakBytes: rss.sample(), peakBytes: () => rss.sample(), exited, stop };
}

/** Waits for this process's own pollers: the SDK names a worker `<pid>@<host>`, and a second worker finds the first one's already there. */
async function waitForPollers(connection: Connection, taskQueue: string, pid: number): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const polled = await Promise.all(
      Object.values(TASK_QUEUE_TYPES).map(async (taskQueueType) => {
        const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
        return (r.pollers ?? []).some((p) => p.identity?.startsWith(`${pid}@`));
      }),
    );
    if (polled.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`worker ${pid} did not poll task queue ${taskQueue} within 180 s`);
}
