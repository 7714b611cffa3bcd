import { CancellationScope, CancelledFailure, continueAsNew, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { runDay } from './daily';
import { INPUT_REJECTED, rootCauseOf } from './failures';
import type { BackfillProgress, BatchSummary } from './types';

export const backfillProgressQuery = defineQuery<BackfillProgress>('progress');

const landing = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 10, nonRetryableErrorTypes: [INPUT_REJECTED] },
});

export interface BackfillInput {
  landing: string;
  from: string;
  to: string;
  /** Days in flight at once: more workers can take more. */
  concurrency?: number;
  /** Set by continue-as-new: days still to do and what the earlier runs reported. */
  remaining?: string[];
  done?: DayOutcome[];
}

export interface DayOutcome {
  day: string;
  status: 'completed' | 'failed';
  summary?: BatchSummary;
  error?: string;
  /** The day failed on bad input (a fix needs a new delivery, not a retry). */
  rejected?: boolean;
}

/** Days per run before continuing as new, so the history stays far below Temporal's limits. */
const DAYS_PER_RUN = 60;

/** One child batch per delivered day, a bounded number at a time; a failed day does not stop the others. */
export async function backfillWorkflow(input: BackfillInput): Promise<DayOutcome[]> {
  const done = input.done ?? [];
  const progress: BackfillProgress = { done: done.length, failed: done.filter((d) => d.status === 'failed').length, inFlight: [] };
  setHandler(backfillProgressQuery, () => progress);
  const days = input.remaining ?? (await landing.discoverDays(input.landing, input.from, input.to)).map((d) => d.day);
  progress.days = done.length + days.length;
  const now = days.slice(0, DAYS_PER_RUN);
  const later = days.slice(DAYS_PER_RUN);
  const concurrency = Math.max(1, input.concurrency ?? 4);

  let next = 0;
  const cancelled = () => CancellationScope.current().consideredCancelled;
  const lane = async () => {
    while (next < now.length && !cancelled()) {
      const day = now[next++];
      progress.inFlight.push(day);
      try {
        const summary = await runDay(input.landing, day);
        if (summary) done.push({ day, status: 'completed', summary });
      } catch (e) {
        const root = rootCauseOf(e);
        done.push({ day, status: 'failed', error: root.message, rejected: root.type === INPUT_REJECTED });
        progress.failed++;
      }
      progress.inFlight = progress.inFlight.filter((d) => d !== day);
      progress.done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, now.length) }, lane));
  // Cancelled: the days in flight have ended theirs by now (a child's cancel is waited for), and
  // the days not started are not failures. Ending here keeps continue-as-new from starting the
  // rest afresh, as an uncancelled run.
  if (cancelled()) throw new CancelledFailure('backfill cancelled');

  if (later.length > 0) await continueAsNew<typeof backfillWorkflow>({ ...input, remaining: later, done });
  return done.sort((a, b) => a.day.localeCompare(b.day));
}

