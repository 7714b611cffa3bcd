import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { batchWorkflow } from '../workflows';
import { batchStart } from '../workflows/ids';
import type { BatchInput, BatchSummary, SourceCounts } from '../workflows/types';
import { watchBatch } from './batch-progress';
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
 * (two `journey run` at once make one execution), and reports progress until it ends: a
 * line per step, and on `terminal` the live line of the step in flight.
 */
export async function runBatch(env: Environment, input: BatchInput, progress: (line: string) => void, terminal?: NodeJS.WriteStream): Promise<BatchSummary> {
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
  const watcher = watchBatch(t.client, handle.workflowId, progress, terminal);
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
