import {
  CancellationScope,
  CancelledFailure,
  condition,
  continueAsNew,
  defineQuery,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  startChild,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { batchWorkflow, releaseSignal, stagedSignal } from './batch';
import { dayBatch, runDay } from './daily';
import { INPUT_REJECTED, rootCauseOf } from './failures';
import { batchStart } from './ids';
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
  /** `cancelled`: the day's batch alone was cancelled (from the Temporal UI, say); nothing of it was published. */
  status: 'completed' | 'failed' | 'cancelled';
  summary?: BatchSummary;
  error?: string;
  /** The day failed on bad input (a fix needs a new delivery, not a retry). */
  rejected?: boolean;
}

/**
 * Days staged at once: a day's staging is mostly waiting on the server (its child's start, two
 * activities, a signal), so more lanes than a worker's four activity slots keep them busy; 35
 * days at 1x staged in 7.5 s with 4 lanes and in 4.8 s with 8.
 */
export const DEFAULT_CONCURRENCY = 8;

/** Days per run before continuing as new, so the history stays far below Temporal's limits. */
const DAYS_PER_RUN = 60;

/**
 * Executions started before backfills staged every day first ran each day's batch through to
 * publish on its own; they replay that path.
 */
const STAGE_ALL_FIRST = 'backfill-stages-all-days-first';

/**
 * One child batch per delivered day, a bounded number at a time; a failed day does not stop
 * the others. The children stage their days (ingest, normalize) `concurrency` at a time and
 * wait; once every day of the run is staged they are released together, and the first match
 * takes the marks of all of them (activities/db/day-marks.ts): the days are matched and
 * published once, as one run over the same files would, where a day released on its own
 * re-matched the four days before it and queued on their locks.
 */
export async function backfillWorkflow(input: BackfillInput): Promise<DayOutcome[]> {
  const done = input.done ?? [];
  const progress: BackfillProgress = { done: done.length, failed: done.filter((d) => d.status === 'failed').length, inFlight: [] };
  setHandler(backfillProgressQuery, () => progress);
  const days = input.remaining ?? (await landing.discoverDays(input.landing, input.from, input.to)).map((d) => d.day);
  progress.days = done.length + days.length;
  const now = days.slice(0, DAYS_PER_RUN);
  const later = days.slice(DAYS_PER_RUN);
  const stageAllFirst = patched(STAGE_ALL_FIRST);
  const concurrency = Math.max(1, input.concurrency ?? (stageAllFirst ? DEFAULT_CONCURRENCY : 4));
  const cancelled = () => CancellationScope.current().consideredCancelled;

  const record = (day: string, outcome: DayEnd) => {
    if ('error' in outcome && isCancellation(outcome.error)) {
      done.push({ day, status: 'cancelled' });
    } else if ('error' in outcome) {
      const root = rootCauseOf(outcome.error);
      done.push({ day, status: 'failed', error: root.message, rejected: root.type === INPUT_REJECTED });
      progress.failed++;
    } else if (outcome.summary) {
      done.push({ day, status: 'completed', summary: outcome.summary });
    }
  };
  const inLanes = async (run: (day: string) => Promise<void>) => {
    let next = 0;
    const lane = async () => {
      while (next < now.length && !cancelled()) await run(now[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, now.length) }, lane));
  };

  if (stageAllFirst) {
    const held = await stageAll(input.landing, inLanes, progress);
    // Cancelled: the held days end theirs (a child's cancel is waited for) before this does.
    if (!cancelled()) for (const h of held) await h.release();
    await Promise.all(
      held.map(async (h) => {
        record(h.day, await h.end);
        progress.done++;
      }),
    );
    progress.staged = 0;
  } else {
    await inLanes(async (day) => {
      progress.inFlight.push(day);
      record(day, await settled(runDay(input.landing, day)));
      progress.inFlight = progress.inFlight.filter((d) => d !== day);
      progress.done++;
    });
  }
  // Cancelled: the days in flight have ended theirs by now (a child's cancel is waited for), and
  // the days not started are not failures. Ending here keeps continue-as-new from starting the
  // rest afresh, as an uncancelled run.
  if (cancelled()) throw new CancelledFailure('backfill cancelled');

  if (later.length > 0) await continueAsNew<typeof backfillWorkflow>({ ...input, remaining: later, done });
  return done.sort((a, b) => a.day.localeCompare(b.day));
}

/** How a day's batch ended: its summary (null: nothing delivered), or why it failed. */
type DayEnd = { summary: BatchSummary | null } | { error: unknown };

const settled = (p: Promise<BatchSummary | null>): Promise<DayEnd> =>
  p.then(
    (summary) => ({ summary }),
    (error: unknown) => ({ error }),
  );

interface HeldDay {
  day: string;
  /** Settles when the child has ended (at once for a day that failed to start or had nothing delivered). */
  end: Promise<DayEnd>;
  /** Lets a staged child go on to match; nothing for one that has ended. */
  release(): Promise<void>;
}

/** Starts each delivered day's batch held, `concurrency` at a time, until each is staged or has ended. */
async function stageAll(
  landingDir: string,
  inLanes: (run: (day: string) => Promise<void>) => Promise<void>,
  progress: BackfillProgress,
): Promise<HeldDay[]> {
  const staged = new Set<string>();
  setHandler(stagedSignal, (batchId) => void staged.add(batchId));
  const held: HeldDay[] = [];
  const nothingToRelease = async () => {};
  await inLanes(async (day) => {
    progress.inFlight.push(day);
    try {
      const batch = await dayBatch(landingDir, day);
      if (!batch) {
        held.push({ day, end: Promise.resolve({ summary: null }), release: nothingToRelease });
      } else {
        const child = await startChild(batchWorkflow, batchStart({ ...batch, holdBeforeMatch: true }));
        let ended = false;
        const end = settled(child.result()).finally(() => (ended = true));
        await condition(() => ended || staged.has(day));
        if (!ended) progress.staged = (progress.staged ?? 0) + 1;
        const release = async () => {
          // A child cancelled or terminated meanwhile cannot take a signal; its end says what happened.
          if (!ended) await child.signal(releaseSignal).catch(() => {});
        };
        held.push({ day, end, release });
      }
    } catch (error) {
      // The day could not be started (its delivery unreadable, its batch already running): a failed day.
      held.push({ day, end: Promise.resolve({ error }), release: nothingToRelease });
    }
    progress.inFlight = progress.inFlight.filter((d) => d !== day);
  });
  return held;
}
