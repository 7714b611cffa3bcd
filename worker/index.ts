import { NativeConnection, Worker } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../activities';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** A pre-built workflow bundle (tests build it once per run); bundled from source otherwise. */
  workflowBundlePath?: string;
}

export async function createWorker(opts: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ pool: opts.pool }),
    // Activities are I/O-bound on PostgreSQL; a few at a time keep 2 cores busy without thrashing.
    maxConcurrentActivityTaskExecutions: 4,
    // Heartbeat details are the progress `journey run` shows: sent to the server once a second
    // instead of every 16 s (0.8 of the heartbeat timeout), at one small call a second per step.
    maxHeartbeatThrottleInterval: '1 second',
  });
}
