import type { WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import type { WorkerProcess } from './worker-process';

export type Outcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: string } | { kind: 'timeout' } | { kind: 'worker-died'; error: string };

export type RunStatus = 'completed' | 'failed' | 'timeout' | 'worker-died';

export interface StepTime {
  step: string;
  attempts: number;
  /** Summed over the batches: where batches overlap (a backfill), more than the wall time. */
  seconds: number;
}

/** Steps run by each worker process (ops.batch_steps): whether a second worker took a share. */
export interface WorkerShare {
  worker: string;
  steps: number;
  seconds: number;
}

/**
 * Waits for a workflow run, never past the timeout nor past the death of one of its workers;
 * a run that did not end by itself is terminated (its children with it), after `inspect` looked
 * at what it was doing. A slow run is a figure, not a failure.
 */
export async function settle<T, I>(o: {
  work: Promise<Outcome<T>>;
  handle: WorkflowHandle;
  workers: WorkerProcess[];
  timeoutMs: number;
  log: (line: string) => void;
  inspect?: () => Promise<I>;
  /** Ends the client side of a stopped run (a CLI process) so `work` settles. */
  abandon?: () => void;
}): Promise<{ outcome: Outcome<T>; status: RunStatus; wallSeconds: number; inspected?: I }> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome<T>>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), o.timeoutMs)));
  const died = o.workers.map((w) => w.exited.then((error): Outcome<T> => ({ kind: 'worker-died', error })));
  const outcome = await Promise.race([o.work, deadline, ...died]);
  clearTimeout(timer);

  let inspected: I | undefined;
  if (outcome.kind === 'timeout' || outcome.kind === 'worker-died') {
    o.log(outcome.kind === 'timeout' ? `stopping the run after ${(o.timeoutMs / 1000).toFixed(0)} s` : outcome.error);
    inspected = await o.inspect?.().catch(() => undefined);
    await o.handle.terminate(`benchmark: ${outcome.kind}`).catch(() => {});
    o.abandon?.();
    await o.work;
  }
  const described = await o.handle.describe();
  const closed = described.closeTime ?? new Date();
  return {
    outcome,
    status: outcome.kind === 'done' ? 'completed' : outcome.kind,
    wallSeconds: (closed.getTime() - described.startTime.getTime()) / 1000,
    ...(inspected === undefined ? {} : { inspected }),
  };
}

export const outcomeError = (o: Outcome<unknown>) => (o.kind === 'failed' || o.kind === 'worker-died' ? { error: o.error } : {});

/** Per step, from ops.batch_steps (the activities' own start and finish). */
export async function stepTimes(pool: Pool, batchIds: string[]): Promise<StepTime[]> {
  const { rows } = await pool.query<StepTime>(
    `SELECT step, count(*)::int AS attempts, sum(extract(epoch FROM finished_at - started_at))::float8 AS seconds
     FROM ops.batch_steps WHERE batch_id = ANY($1) GROUP BY step ORDER BY min(started_at)`,
    [batchIds],
  );
  return rows;
}

export async function workerShares(pool: Pool, batchIds: string[]): Promise<WorkerShare[]> {
  const { rows } = await pool.query<WorkerShare>(
    `SELECT worker, count(*)::int AS steps, sum(extract(epoch FROM finished_at - started_at))::float8 AS seconds
     FROM ops.batch_steps WHERE batch_id = ANY($1) GROUP BY worker ORDER BY worker`,
    [batchIds],
  );
  return rows;
}
