import { WorkflowFailedError, type Client } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { batchWorkflow, progressQuery } from '../workflows';
import { batchStart } from '../workflows/ids';
import type { BatchInput, BatchProgress, BatchSummary, SourceCounts } from '../workflows/types';
import { rootMessage } from './command';
import type { Environment } from './environment';

/** A batch that failed or was cancelled: the error that ended it, plus the summary `--json` prints for it. */
export class BatchFailed extends Error {
  constructor(
    readonly summary: BatchSummary,
    readonly cause: unknown,
  ) {
    super(summary.error ?? rootMessage(cause));
  }
}

/**
 * Starts the batch workflow, or attaches to the run already in flight for the same batch id
 * (two `journey run` at once make one execution), and reports progress until it ends.
 */
export async function runBatch(env: Environment, input: BatchInput, progress: (line: string) => void): Promise<BatchSummary> {
  const t = env.temporal;
  if (!t) throw new Error('Temporal is not connected');
  const started = Date.now();
  const handle = await t.client.workflow.start(batchWorkflow, {
    ...batchStart(input),
    taskQueue: t.taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  progress(`batch ${input.batchId}: workflow ${handle.workflowId} (run ${handle.firstExecutionRunId})`);
  const watcher = watchProgress(t.client, handle.workflowId, progress);
  try {
    return await handle.result();
  } catch (e) {
    if (!(e instanceof WorkflowFailedError)) throw e;
    const durationMs = Date.now() - started;
    if (e.cause instanceof CancelledFailure) {
      const summary = await endedSummary(env.pool, input.batchId, 'cancelled', durationMs);
      const { rows } = await env.pool.query<{ step: string | null }>('SELECT step FROM ops.batches WHERE batch_id = $1', [input.batchId]);
      const step = rows[0]?.step;
      // Temporal's own words ("Workflow canceled") say neither which batch nor where it stopped.
      throw new BatchFailed(summary, new Error(`batch ${input.batchId} was cancelled${step ? ` during ${step}` : ''}`));
    }
    throw new BatchFailed(await endedSummary(env.pool, input.batchId, 'failed', durationMs, rootMessage(e)), e);
  } finally {
    await watcher.stop();
  }
}

const STEPS = ['ingest', 'normalize', 'match', 'publish'] as const;

/** A bar of the four steps and the counts so far, from the workflow's `progress` query. */
export function progressLine(p: BatchProgress): string {
  const done = p.step === 'completed' ? STEPS.length : Math.max(0, STEPS.indexOf(p.step as (typeof STEPS)[number]));
  const bar = '█'.repeat(done) + (done < STEPS.length ? '▶' : '') + '·'.repeat(Math.max(0, STEPS.length - done - 1));
  const counts = Object.entries(p.counts).map(([k, v]) => `${k}=${v}`).join(' ');
  return `  [${bar}] ${p.step.padEnd(9)} ${counts}`;
}

/**
 * Asks the workflow for its progress twice a second, one query at a time. Each query has a
 * deadline and `stop` waits for the last one: a query to a workflow whose worker died is
 * retried by the client in the background, and one still retrying after the connection closed
 * threw from its timer (seen in the resilience tests).
 */
function watchProgress(client: Client, workflowId: string, progress: (line: string) => void): { stop(): Promise<void> } {
  let last = '';
  let asking: Promise<void> | null = null;
  const ask = async () => {
    try {
      const p = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => client.workflow.getHandle(workflowId).query(progressQuery));
      const line = progressLine(p);
      if (line !== last) progress(line);
      last = line;
    } catch {
      // no worker has picked the workflow up yet; the next tick asks again
    }
  };
  const timer = setInterval(() => {
    if (asking) return;
    asking = ask().finally(() => {
      asking = null;
    });
  }, 500);
  return {
    stop: async () => {
      clearInterval(timer);
      await asking;
    },
  };
}

const QUERY_DEADLINE_MS = 2_000;

/** The summary of a batch that did not complete: what it staged, nothing published. */
async function endedSummary(pool: Pool, batchId: string, status: 'failed' | 'cancelled', durationMs: number, error?: string): Promise<BatchSummary> {
  const { rows } = await pool.query<SourceCounts & { source: string }>(
    'SELECT source, read, accepted, quarantined, collapsed FROM ops.source_quality WHERE batch_id = $1',
    [batchId],
  );
  const counts = (s: string): SourceCounts => {
    const r = rows.find((x) => x.source === s);
    return r ? { read: r.read, accepted: r.accepted, quarantined: r.quarantined, collapsed: r.collapsed } : { read: 0, accepted: 0, quarantined: 0, collapsed: 0 };
  };
  return {
    batch: batchId,
    status,
    conversions: counts('conversions'),
    broker: counts('broker'),
    matched: 0,
    brokerUnmatched: 0,
    estimatedFalseMatches: 0,
    published: 0,
    durationMs,
    ...(error !== undefined ? { error } : {}),
  };
}

export function formatSummary(s: BatchSummary): string[] {
  const src = (name: string, c: SourceCounts) =>
    `  ${name.padEnd(12)} read ${c.read}  accepted ${c.accepted}  quarantined ${c.quarantined}` + (c.collapsed ? `  (${c.collapsed} duplicates collapsed)` : '');
  return [
    `batch ${s.batch}: ${s.status}${s.error ? ` — ${s.error}` : ''}`,
    src('conversions', s.conversions),
    src('broker', s.broker),
    `  matched      ${s.matched} pairs, ~${s.estimatedFalseMatches.toFixed(1)} estimated false; ${s.brokerUnmatched} broker records unmatched`,
    `  published    ${s.published} rows to mart.user_journey in ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
}
