import path from 'node:path';
import type { Pool } from 'pg';
import { loadConfig } from '../infra/config';
import type { BatchInput, BatchSummary, MatchCounts } from '../workflows/types';
import { ApplicationFailure } from '@temporalio/common';
import { INPUT_REJECTED, inputRejected } from './errors';
import { dayDelivery, discoverDays, type DayDelivery } from './landing/discover';
import { recordStep, withHeartbeat, type Liveness } from './heartbeat';
import { FileStore } from './ingest/file-store';
import { ingestBatch, type IngestResult } from './ingest/ingest';
import { FileRejected } from './ingest/sniff';
import { matchBatch } from './match/activity';
import { normalizeBatch, type NormalizeResult } from './normalize/stage';
import { publishBatch } from './publish/publish';

export interface ActivityDeps {
  pool: Pool;
  /** The raw layer: delivered files by content (default: `store/` in the data folder, which workers on several machines must share). */
  store?: FileStore;
}

/** Bad input is final: turn it into a non-retryable failure naming file, line and reason. */
async function rejectingBadInput<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FileRejected) throw inputRejected(e.file, e.line, e.reason);
    throw e;
  }
}

/**
 * How a batch that did not complete ended. The row may not exist yet: a batch can end before
 * ingest has written it.
 */
async function recordEnd(pool: Pool, batchId: string, status: 'failed' | 'cancelled', end: { error?: string; step?: string }): Promise<void> {
  await pool.query(
    `INSERT INTO ops.batches (batch_id, status, step, finished_at, error) VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (batch_id) DO UPDATE SET status = $2, step = coalesce($3, ops.batches.step), finished_at = now(), error = $4`,
    [batchId, status, end.step ?? null, end.error ?? null],
  );
}

/** Thin adapters: each takes and returns references and counts; the modules they call do the work. */
export function createActivities({ pool, store = new FileStore(path.join(loadConfig().dataDir, 'store')) }: ActivityDeps) {
  const step = <T>(batchId: string, name: string, body: (live: Liveness) => Promise<T>) =>
    withHeartbeat((live) => recordStep(pool, batchId, name, () => rejectingBadInput(() => body(live))));
  return {
    async ingest(input: BatchInput): Promise<IngestResult> {
      return step(input.batchId, 'ingest', () => ingestBatch(pool, store, input.batchId, input.files));
    },

    async normalize(batchId: string, opts: { analyze?: boolean } = {}): Promise<NormalizeResult> {
      return step(batchId, 'normalize', (live) => normalizeBatch(pool, store, batchId, (source, rows) => live.progress({ [source]: rows }), opts));
    },

    async match(batchId: string): Promise<MatchCounts> {
      return step(batchId, 'match', (live) => matchBatch(pool, batchId, live));
    },

    async publish(batchId: string, summary: Omit<BatchSummary, 'published' | 'status'>): Promise<number> {
      return step(batchId, 'publish', () => publishBatch(pool, batchId, summary));
    },

    async dayDelivery(landing: string, day: string): Promise<DayDelivery> {
      return dayDelivery(landing, day);
    },

    async discoverDays(landing: string, from: string, to: string): Promise<DayDelivery[]> {
      try {
        return discoverDays(landing, from, to);
      } catch (e) {
        throw ApplicationFailure.nonRetryable((e as Error).message, INPUT_REJECTED);
      }
    },

    async recordFailure(batchId: string, error: string): Promise<void> {
      await recordEnd(pool, batchId, 'failed', { error });
    },

    /** A batch cancelled in Temporal, with the step it stopped in (whose transaction was rolled back). */
    async recordCancelled(batchId: string, step: string): Promise<void> {
      await recordEnd(pool, batchId, 'cancelled', { step });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
