import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { BatchFailed, runBatch } from '../client/batch-runner';
import { batchWorkflowId } from '../workflows/ids';
import type { Environment } from '../client/environment';
import type { BatchFiles, BatchSummary } from '../workflows/types';
import type { WorkerProcess } from './worker-process';
import { outcomeError, settle, stepTimes, type Outcome, type RunStatus, type StepTime } from './workflow-run';

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
  status: RunStatus;
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
  /** The landing-zone day the batch stands for, as a daily batch has it. */
  day?: string;
  worker: WorkerProcess;
  timeoutMs: number;
  log: (line: string) => void;
}

/** One batch through the real workflow on a worker process; never waits past the timeout. */
export async function runPipeline(o: PipelineOptions): Promise<PipelineRun> {
  const env: Environment = {
    config: { namespace: 'default', taskQueue: o.taskQueue, dataDir: '', logLevel: 'WARN' },
    pool: o.pool,
    databaseLabel: '',
    temporal: { client: o.client, address: '', taskQueue: o.taskQueue },
    close: async () => {},
  };
  const input = { batchId: o.batchId, files: o.files, ...(o.day ? { day: o.day } : {}) };
  const work = runBatch(env, input, o.log).then(
    (summary): Outcome<BatchSummary> => (summary.status === 'completed' ? { kind: 'done', value: summary } : { kind: 'failed', error: summary.error ?? 'failed' }),
    (e): Outcome<BatchSummary> => ({ kind: 'failed', error: e instanceof BatchFailed ? e.summary.error ?? e.message : (e as Error).message }),
  );
  const handle = o.client.workflow.getHandle(batchWorkflowId(o.batchId));
  const { outcome, status, wallSeconds, inspected } = await settle({
    work,
    handle,
    workers: [o.worker],
    timeoutMs: o.timeoutMs,
    log: o.log,
    inspect: () => pendingActivities(handle, o.pool, o.batchId),
  });
  const steps = await stepTimes(o.pool, [o.batchId]);
  const activitySeconds = steps.reduce((a, s) => a + s.seconds, 0);
  const summary = outcome.kind === 'done' ? outcome.value : undefined;
  const rows = summary ? summary.conversions.read + summary.broker.read : 0;
  return {
    status,
    ...outcomeError(outcome),
    wallSeconds,
    rows,
    rowsPerSecond: rows / wallSeconds,
    steps,
    activitySeconds,
    overheadSeconds: wallSeconds - activitySeconds,
    overheadPct: (100 * (wallSeconds - activitySeconds)) / wallSeconds,
    workerStartupPeakMiB: o.worker.startupPeakBytes / 2 ** 20,
    workerPeakMiB: o.worker.peakBytes() / 2 ** 20,
    ...(inspected ? { inFlight: inspected } : {}),
    summary,
  };
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
