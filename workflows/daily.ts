import { executeChild, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { batchWorkflow } from './batch';
import { addDays, dayOf } from './days';
import { INPUT_REJECTED } from './failures';
import { batchStart, SCHEDULED_START } from './ids';
import type { BatchInput, BatchSummary } from './types';

const landing = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 10, nonRetryableErrorTypes: [INPUT_REJECTED] },
});

export interface DailyInput {
  landing: string;
  /** The day to process; a scheduled run derives it from its nominal time instead. */
  day?: string;
}

/**
 * The schedule's action. The day comes from the schedule's nominal time, not the wall clock,
 * so a run fired late, or one of a backfill started in the Temporal UI, processes the day it
 * stands for: the run nominally at D 03:00 processes D-1.
 */
export async function dailyWorkflow(input: DailyInput): Promise<BatchSummary | null> {
  const nominal = workflowInfo().typedSearchAttributes.get(SCHEDULED_START) ?? new Date(workflowInfo().startTime);
  const day = input.day ?? addDays(dayOf(nominal), -1);
  return runDay(input.landing, day);
}

/** One day of the landing zone as a child batch `batch-<day>`; null when nothing was delivered. */
export async function runDay(landingDir: string, day: string): Promise<BatchSummary | null> {
  const batch = await dayBatch(landingDir, day);
  return batch ? executeChild(batchWorkflow, batchStart(batch)) : null;
}

/** The batch of a landing-zone day, or null when nothing was delivered for it. */
export async function dayBatch(landingDir: string, day: string): Promise<BatchInput | null> {
  const delivery = await landing.dayDelivery(landingDir, day);
  if (!delivery.files.conversions && !delivery.files.broker) {
    log.info('nothing delivered for this day', { day });
    return null;
  }
  return { batchId: day, files: delivery.files, day };
}
