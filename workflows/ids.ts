import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { BatchInput } from './types';

/**
 * How a batch's workflow is named and found: by the client that starts a batch, by the daily
 * workflow that starts one as a child, by the Temporal UI. Imported by workflow code, so only
 * workflow-safe imports here.
 */

/** One execution per batch id: the same batch started twice is joined, not doubled. */
export const batchWorkflowId = (batchId: string): string => `batch-${batchId}`;

/** One execution per range: a backfill started again over the same days is joined. */
export const backfillWorkflowId = (from: string, to: string): string => `backfill-${from}-${to}`;

export const BATCH_ID = defineSearchAttributeKey('BatchId', SearchAttributeType.KEYWORD);
export const BATCH_DAY = defineSearchAttributeKey('BatchDay', SearchAttributeType.KEYWORD);

/** Ours, so a server must have them registered (deploy/temporal/setup-namespace.sh says them again, in shell). */
export const BATCH_SEARCH_ATTRIBUTES = [BATCH_ID, BATCH_DAY] as const;

/** Set by the server on a run a schedule started: the time the run stands for. */
export const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The id, search attributes and memo a batch's workflow starts with, as a top-level workflow or a child. */
export function batchStart(input: BatchInput) {
  return {
    workflowId: batchWorkflowId(input.batchId),
    args: [input] as [BatchInput],
    typedSearchAttributes: [{ key: BATCH_ID, value: input.batchId }, ...(input.day ? [{ key: BATCH_DAY, value: input.day }] : [])],
    memo: { files: input.files, ...(input.day ? { day: input.day } : {}) },
  };
}
