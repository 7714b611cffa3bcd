import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { BatchFailed, batchWorkflowId, runBatch } from '../client/batch-runner';
import type { Environment } from '../client/environment';
import type { BatchFiles, BatchSummary } from '../workflows/types';
import type { WorkerProcess } from './worker-process';

export interface StepTime {
  step: string;
  attempts: number;
  seconds: number;
}

/** An activity still pending when the run was stopped: where the time went. */
export interface InFlight {
  activity: string;
  attempt: number;
  /** Since the last step that completed (or the workflow's start): this step's time so far, retries included. */
  stepSeconds: number;
  /** Why the previous attempt failed (a heartbeat timeout, an error), when it was retried. */
  lastFailure: string | null;
  /** Its last heartbeat's progress figures. */
  progress: unknown;
}

export interface PipelineRun {
  status: 'completed' | 'failed' | 'timeout' | 'worker-died';
  error?: string;
  /** Start of the workflow to its close, by the Temporal server's clock. */
  wallSeconds: number;
  /** Raw rows read from the delivered files (both sources). */
  rows: number;
  rowsPerSecond: number;
  /** Per step, from ops.batch_steps (the activities' own start and finish). */
  steps: StepTime[];
  activitySeconds: number;
  /** Wall time outside the activities: scheduling, polling, workflow tasks. */
  overheadSeconds: number;
  overheadPct: number;
  workerStartupPeakMiB: number;
  workerPeakMiB: number;
  inFlight?: InFlight[];
  summary?: BatchSummary;
}

interface PipelineOptions {
  client: Client;
  pool: Pool;
  taskQueue: string;
  batchId: string;
  files: BatchFiles;
  worker: WorkerProcess;
  timeoutMs: number;
  log: (line: string) => void;
}

type Outcome = { kind: 'done'; summary: BatchSummary } | { kind: 'failed'; error: string } | { kind: 'timeout' } | { kind: 'worker-died'; error: string };

/** One batch through the real workflow on a worker process; never waits past the timeout. */
export async function runPipeline(o: PipelineOptions): Promise<PipelineRun> {
  const env: Environment = {
    config: { namespace: 'default', taskQueue: o.taskQueue, dataDir: '' },
    pool: o.pool,
    databaseLabel: '',
    temporal: { client: o.client, address: '', taskQueue: o.taskQueue },
    close: async () => {},
  };
  const batch: Promise<Outcome> = runBatch(env, { batchId: o.batchId, files: o.files }, o.log).then(
    (summary): Outcome => (summary.status === 'completed' ? { kind: 'done', summary } : { kind: 'failed', error: summary.error ?? 'failed' }),
    (e): Outcome => ({ kind: 'failed', error: e instanceof BatchFailed ? e.summary.error ?? e.message : (e as Error).message }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), o.timeoutMs)));
  const died = o.worker.exited.then((error): Outcome => ({ kind: 'worker-died', error }));
  const outcome = await Promise.race([batch, deadline, died]);
  clearTimeout(timer);

  const handle = o.client.workflow.getHandle(batchWorkflowId(o.batchId));
  let inFlight: InFlight[] | undefined;
  if (outcome.kind === 'timeout' || outcome.kind === 'worker-died') {
    o.log(outcome.kind === 'timeout' ? `stopping the batch after ${(o.timeoutMs / 1000).toFixed(0)} s` : outcome.error);
    inFlight = await pendingActivities(handle, o.pool, o.batchId).catch(() => undefined);
    await handle.terminate(`benchmark: ${outcome.kind}`).catch(() => {});
    await batch;
  }
  const workerPeakMiB = o.worker.peakBytes() / 2 ** 20;
  const described = await handle.describe();
  const closed = described.closeTime ?? new Date();
  const wallSeconds = (closed.getTime() - described.startTime.getTime()) / 1000;
  const steps = await stepTimes(o.pool, o.batchId);
  const activitySeconds = steps.reduce((a, s) => a + s.seconds, 0);
  const summary = outcome.kind === 'done' ? outcome.summary : undefined;
  const rows = summary ? summary.conversions.read + summary.broker.read : 0;
  return {
    status: outcome.kind === 'done' ? 'completed' : outcome.kind,
    ...(outcome.kind === 'failed' || outcome.kind === 'worker-died' ? { error: outcome.error } : {}),
    wallSeconds,
    rows,
    rowsPerSecond: rows / wallSeconds,
    steps,
    activitySeconds,
    overheadSeconds: wallSeconds - activitySeconds,
    overheadPct: (100 * (wallSeconds - activitySeconds)) / wallSeconds,
    workerStartupPeakMiB: o.worker.startupPeakBytes / 2 ** 20,
    workerPeakMiB,
    ...(inFlight ? { inFlight } : {}),
    summary,
  };
}

async function stepTimes(pool: Pool, batchId: string): Promise<StepTime[]> {
  const { rows } = await pool.query<StepTime>(
    `SELECT step, count(*)::int AS attempts, sum(extract(epoch FROM finished_at - started_at))::float8 AS seconds
     FROM ops.batch_steps WHERE batch_id = $1 GROUP BY step ORDER BY min(started_at)`,
    [batchId],
  );
  return rows;
}

async function pendingActivities(handle: WorkflowHandle, pool: Pool, batchId: string): Promise<InFlight[]> {
  const { raw, startTime } = await handle.describe();
  const { rows } = await pool.query<{ last: Date | null }>('SELECT max(finished_at) AS last FROM ops.batch_steps WHERE batch_id = $1', [batchId]);
  const stepStarted = (rows[0].last ?? startTime).getTime();
  return (raw.pendingActivities ?? []).map((a) => {
    const beat = a.heartbeatDetails?.payloads?.[0];
    return {
      activity: a.activityType?.name ?? 'unknown',
      attempt: a.attempt ?? 1,
      stepSeconds: (Date.now() - stepStarted) / 1000,
      lastFailure: a.lastFailure?.message ?? null,
      progress: beat ? defaultPayloadConverter.fromPayload(beat) : null,
    };
  });
}
