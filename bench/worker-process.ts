import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { projectRoot } from '../infra/paths';
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
  const root = projectRoot(__dirname);
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'journey.js'), 'worker'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: opts.databaseUrl, TEMPORAL_ADDRESS: opts.temporalAddress, JOURNEY_TASK_QUEUE: opts.taskQueue },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) log(`  [worker] ${line}`);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`worker exited (${signal ?? `code ${code}`}): ${tail.trim().split('\n').slice(-5).join(' | ')}`)),
  );
  if (child.pid === undefined) throw new Error('could not start the worker process');
  const pid = child.pid;
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
    await Promise.race([waitForPollers(opts.connection, opts.taskQueue), exited.then((m) => Promise.reject(new Error(m)))]);
  } catch (e) {
    await stop();
    throw e;
  }
  return { pid, startupPeakBytes: rss.sample(), peakBytes: () => rss.sample(), exited, stop };
}

async function waitForPollers(connection: Connection, taskQueue: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const polled = await Promise.all(
      Object.values(TASK_QUEUE_TYPES).map(async (taskQueueType) => {
        const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, taskQueueType });
        return (r.pollers?.length ?? 0) > 0;
      }),
    );
    if (polled.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no worker polled task queue ${taskQueue} within 180 s`);
}
