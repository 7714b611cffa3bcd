import type { Pool } from 'pg';
import type { BatchInput, BatchSummary, MatchCounts } from '../workflows/types';
import { inputRejected } from './errors';
import { withHeartbeat } from './heartbeat';
import { ingestBatch, type IngestResult } from './ingest/ingest';
import { FileRejected } from './ingest/sniff';
import { matchRegion } from './match/activity';
import { normalizeBatch, type NormalizeResult } from './normalize/stage';
import { publishBatch } from './publish/publish';

export interface ActivityDeps {
  pool: Pool;
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

/** Thin adapters: each takes and returns references and counts; the modules they call do the work. */
export function createActivities({ pool }: ActivityDeps) {
  return {
    async ingest(input: BatchInput): Promise<IngestResult> {
      return withHeartbeat((progress) =>
        rejectingBadInput(() => ingestBatch(pool, input.batchId, input.files, (source, rows) => progress({ [source]: rows }))),
      );
    },

    async normalize(batchId: string): Promise<NormalizeResult> {
      return withHeartbeat((progress) => rejectingBadInput(() => normalizeBatch(pool, batchId, (source, rows) => progress({ [source]: rows }))));
    },

    async match(batchId: string): Promise<MatchCounts> {
      return withHeartbeat(() => matchRegion(pool, batchId));
    },

    async publish(batchId: string, summary: Omit<BatchSummary, 'published' | 'status'>): Promise<number> {
      return withHeartbeat(() => publishBatch(pool, batchId, summary));
    },

    async recordFailure(batchId: string, error: string): Promise<void> {
      await pool.query(
        `INSERT INTO ops.batches (batch_id, status, finished_at, error) VALUES ($1, 'failed', now(), $2)
         ON CONFLICT (batch_id) DO UPDATE SET status = 'failed', finished_at = now(), error = $2`,
        [batchId, error],
      );
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
