import type { Pool } from 'pg';
import { backfillWorkflowId } from '../workflows/ids';
import type { BatchSummary } from '../workflows/types';
import { spawnJourney } from './journey-process';
import type { StatementTime } from './pg-sampler';
import { pollEvery } from './poll';
import type { Workspace } from './workspace';
import { outcomeError, settle, stepTimes, workerShares, type Outcome, type RunStatus, type StepTime, type WorkerShare } from './workflow-run';

export interface BackfillRun {
  workers: number;
  status: RunStatus;
  error?: string;
  /** Start of the backfill workflow to its close, by the Temporal server's clock. */
  wallSeconds: number;
  /** Daily batches that completed, and that failed. */
  days: number;
  failedDays: number;
  /** Raw rows the completed days read (both sources): the one run's, when the files are the same. */
  rows: number;
  /** Summed over the daily batches, which overlap: each step's busy time, waits for locks included. */
  steps: StepTime[];
  byWorker: WorkerShare[];
  workerPeakMiB: number[];
  postgresProfile?: StatementTime[];
  /** 1-minute load average as it began. */
  loadAverage?: number;
  /** Wall over the one run of the same files (the pipeline at this scale). */
  overOneRun?: number;
  /** Wall over the COPY floor of the same files. */
  overFloor?: number;
}

export interface BackfillBench {
  /** One backfill per number of workers, each on a fresh database. */
  runs: BackfillRun[];
  /** Wall with two workers over wall with one. */
  twoWorkersOverOne?: number;
}

/** What `journey backfill --json` prints last. */
interface BackfillResult {
  status: string;
  days: (BatchSummary | { batch: string; status: 'failed'; error?: string })[];
}

const PROGRESS_EVERY_MS = 5_000;

/**
 * `journey backfill` over days `from`..`to` of a landing zone, as its own process, on the
 * workspace's workers: the daily batches of the backfill workflow, `concurrency` of them at a
 * time as the command's default has it.
 */
export async function runBackfill(o: { w: Workspace; landing: string; from: string; to: string; timeoutMs: number; log: (line: string) => void }): Promise<BackfillRun> {
  const { w } = o;
  const cli = spawnJourney(['backfill', '--landing', o.landing, '--from', o.from, '--to', o.to, '--json'], w, o.log);
  const work = cli.exited.then(({ code, message }): Outcome<BackfillResult> => {
    if (code !== 0) return { kind: 'failed', error: message };
    return { kind: 'done', value: JSON.parse(cli.stdout().trim().split('\n').pop() ?? '') as BackfillResult };
  });
  const ticker = reportProgress(w.pool, o.log);
  const { outcome, status, wallSeconds } = await settle({
    work,
    handle: w.client.workflow.getHandle(backfillWorkflowId(o.from, o.to)),
    workers: w.workers,
    timeoutMs: o.timeoutMs,
    log: o.log,
    abandon: () => cli.child.kill('SIGTERM'),
  }).finally(() => ticker.stop());
  const days = outcome.kind === 'done' ? outcome.value.days : [];
  const completed = days.filter((d): d is BatchSummary => d.status === 'completed');
  // The database is the backfill's alone: its batches are all there are.
  const batchIds = (await w.pool.query<{ batch_id: string }>('SELECT batch_id FROM ops.batches')).rows.map((r) => r.batch_id);
  return {
    workers: w.workers.length,
    status,
    ...outcomeError(outcome),
    wallSeconds,
    days: completed.length,
    failedDays: days.length - completed.length,
    rows: completed.reduce((a, d) => a + d.conversions.read + d.broker.read, 0),
    steps: await stepTimes(w.pool, batchIds),
    byWorker: await workerShares(w.pool, batchIds),
    workerPeakMiB: w.workers.map((p) => p.peakBytes() / 2 ** 20),
  };
}

/** A line whenever another daily batch has finished, so a long backfill shows it is moving. */
function reportProgress(pool: Pool, log: (line: string) => void): { stop(): Promise<void> } {
  let last = '';
  return pollEvery(PROGRESS_EVERY_MS, async () => {
    const { rows } = await pool.query<{ done: number; running: number }>(
      `SELECT count(*) FILTER (WHERE status <> 'running')::int AS done, count(*) FILTER (WHERE status = 'running')::int AS running FROM ops.batches`,
    );
    const line = `${rows[0].done} days done, ${rows[0].running} running`;
    if (line !== last) log(line);
    last = line;
  });
}
