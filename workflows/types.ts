/**
 * The contract between client, workflows and activities. Plain types only: this file is
 * bundled into workflow code, so it must not import anything with side effects.
 */

/** Paths of the files a batch reads; a source that is absent is simply not part of the batch. */
export interface BatchFiles {
  conversions?: string;
  broker?: string;
  mapping?: string;
}

export interface BatchInput {
  batchId: string;
  files: BatchFiles;
  /** The landing-zone day this batch covers, when it comes from one. */
  day?: string;
  /**
   * Set by a backfill on its child batches: after normalize, signal the parent (`staged`) and
   * wait for its `release` before matching, so that the backfill's days are matched together.
   */
  holdBeforeMatch?: boolean;
}

export interface SourceCounts {
  read: number;
  accepted: number;
  quarantined: number;
  collapsed: number;
}

export interface MatchCounts {
  matched: number;
  brokerUnmatched: number;
  candidatePairs: number;
  estimatedFalseMatches: number;
  chancePairsAtShift: number;
}

export interface BatchSummary {
  batch: string;
  status: 'completed' | 'failed' | 'cancelled';
  conversions: SourceCounts;
  broker: SourceCounts;
  matched: number;
  brokerUnmatched: number;
  estimatedFalseMatches: number;
  published: number;
  durationMs: number;
  error?: string;
}

/** `waiting`: a held batch's rows are staged; it waits for its backfill to release it to match. */
export type Step = 'starting' | 'ingest' | 'normalize' | 'waiting' | 'match' | 'publish' | 'completed' | 'failed' | 'cancelled';

export interface BatchProgress {
  step: Step;
  /** Rows handled so far in the current step, by what is being handled (a source, pairs, ...). */
  counts: Record<string, number>;
}

export interface BackfillProgress {
  /** Days with a delivery in the range; unset until the landing zone has been read. */
  days?: number;
  /** Days ended, completed or failed; `failed` of them failed. */
  done: number;
  failed: number;
  /** Days whose batch is running now. */
  inFlight: string[];
  /** Days staged and waiting to be matched together with the others (backfill.ts). */
  staged?: number;
}
