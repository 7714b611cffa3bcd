import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  getExternalWorkflowHandle,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { INPUT_REJECTED, rootCauseOf } from './failures';
import type { BatchInput, BatchProgress, BatchSummary, SourceCounts } from './types';

export const progressQuery = defineQuery<BatchProgress>('progress');

/**
 * A held batch (`holdBeforeMatch`) tells its parent that its rows are staged, then waits for
 * `release` before it matches: a backfill stages all its days first, so that one match takes
 * every day's marks together instead of each day re-matching the days beside it.
 */
export const stagedSignal = defineSignal<[batchId: string]>('staged');
export const releaseSignal = defineSignal('release');

// Transient trouble (connection lost, deadlock, timeout, a worker that died) is retried with
// backoff; bad input is not, because the same file will fail the same way.
const work = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  // Heartbeats come every 5 s; a worker silent for 20 s is gone and the step moves to another.
  // Match works in quarter-day slices with a checkpoint after each, so it fits this too.
  heartbeatTimeout: '20 seconds',
  // A cancel reaches a step with its next heartbeat; the batch ends only once the step has
  // stopped and rolled back, so `cancelled` is never recorded beside a step still writing (the
  // SDK's default, TRY_CANCEL, ends the batch at once and leaves the step free to commit).
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [INPUT_REJECTED],
  },
});

const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 30 },
});

const NONE: SourceCounts = { read: 0, accepted: 0, quarantined: 0, collapsed: 0 };

/** One batch through the DAG ingest -> normalize -> match -> publish; activities get ids, never rows. */
export async function batchWorkflow(input: BatchInput): Promise<BatchSummary> {
  const started = Date.now();
  const progress: BatchProgress = { step: 'starting', counts: {} };
  setHandler(progressQuery, () => progress);
  let released = !input.holdBeforeMatch;
  setHandler(releaseSignal, () => void (released = true));
  const { batchId } = input;
  try {
    progress.step = 'ingest';
    const ingested = await work.ingest(input);
    if (ingested.unchanged) {
      progress.step = 'completed';
      return ingested.unchanged;
    }
    progress.step = 'normalize';
    // A held batch's days are matched together with others: match takes the statistics then.
    const normalized = await work.normalize(batchId, { analyze: !input.holdBeforeMatch });
    const counts = (source: string): SourceCounts => {
      const q = normalized.sources.find((s) => s.source === source);
      return q ? { read: q.read, accepted: q.accepted, quarantined: q.quarantined, collapsed: q.collapsed } : NONE;
    };
    for (const q of normalized.sources) progress.counts[`${q.source}Read`] = q.read;
    const conversions = counts('conversions');
    const broker = counts('broker');
    progress.counts.conversionsAccepted = conversions.accepted;
    progress.counts.brokerAccepted = broker.accepted;

    const parent = workflowInfo().parent;
    if (!released && parent) {
      progress.step = 'waiting';
      await getExternalWorkflowHandle(parent.workflowId).signal(stagedSignal, batchId);
      await condition(() => released);
    }
    progress.step = 'match';
    const matched = await work.match(batchId);
    progress.counts.matched = matched.matched;

    progress.step = 'publish';
    const summary = {
      batch: batchId,
      conversions,
      broker,
      matched: matched.matched,
      brokerUnmatched: matched.brokerUnmatched,
      estimatedFalseMatches: matched.estimatedFalseMatches,
      durationMs: Date.now() - started,
    };
    const published = await work.publish(batchId, summary);
    progress.counts.published = published;
    progress.step = 'completed';
    return { ...summary, status: 'completed', published, durationMs: Date.now() - started };
  } catch (err) {
    const stoppedIn = progress.step;
    const cancelled = isCancellation(err);
    const root = rootCauseOf(err);
    progress.step = cancelled ? 'cancelled' : 'failed';
    // After a cancel every activity of the workflow's scope is refused at once, so the batch's
    // end would never be recorded (it stayed `running`); the record is written whatever happens.
    await CancellationScope.nonCancellable(() =>
      cancelled ? bookkeeping.recordCancelled(batchId, stoppedIn) : bookkeeping.recordFailure(batchId, root.message),
    );
    // Rethrown as it came, so Temporal closes the execution as Cancelled, not Failed.
    if (cancelled) throw err;
    throw ApplicationFailure.nonRetryable(root.message, root.type ?? 'BatchFailed', ...(root.details ?? []));
  }
}
