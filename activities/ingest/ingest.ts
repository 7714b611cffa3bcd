import type { Pool } from 'pg';
import type { BatchFiles, BatchSummary } from '../../workflows/types';
import { inTransaction } from '../db/pool';
import { SOURCES, type SourceName } from '../sources';
import type { FileStore } from './file-store';
import { sniffFile, unreadable } from './sniff';

export interface IngestedFile {
  source: SourceName;
  fileName: string;
  sha256: string;
  bytes: number;
  headerFields: number;
}

export interface IngestResult {
  files: IngestedFile[];
  /** The summary of the completed run that had exactly these files: nothing to redo. */
  unchanged?: BatchSummary;
}

/**
 * Lands a batch's files in the raw layer, the file store, and records which they are. No row
 * is written here: normalize streams each stored file once, straight into staging. A file
 * that is not what it claims (empty, binary, missing columns) is rejected before anything of
 * the batch is recorded but its failure; the batch row is written first, outside the
 * transaction, so that failure is visible in `journey status`.
 */
export async function ingestBatch(pool: Pool, store: FileStore, batchId: string, files: BatchFiles): Promise<IngestResult> {
  const stored = [];
  for (const source of Object.keys(SOURCES) as SourceName[]) {
    const filePath = files[source];
    if (!filePath) continue;
    const file = await store.put(filePath).catch((e) => {
      throw unreadable(filePath, e);
    });
    stored.push({ source, ...file });
  }
  const previous = await previousDelivery(pool, batchId);
  if (previous && sameFiles(previous.files, stored)) return { files: previous.files, unchanged: previous.summary };

  await pool.query(
    `INSERT INTO ops.batches (batch_id, status, step) VALUES ($1, 'running', 'ingest')
     ON CONFLICT (batch_id) DO UPDATE SET status = 'running', step = 'ingest', started_at = now(), finished_at = NULL, error = NULL`,
    [batchId],
  );
  const ingested: IngestedFile[] = [];
  for (const f of stored) {
    const shape = await sniffFile(f.path, SOURCES[f.source]);
    ingested.push({ source: f.source, fileName: f.fileName, sha256: f.sha256, bytes: f.bytes, headerFields: shape.header.length });
  }
  await inTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM ops.batch_files WHERE batch_id = $1', [batchId]);
    for (const f of ingested) {
      await tx.query(
        `INSERT INTO ops.batch_files (batch_id, source, file_name, file_sha256, bytes, header_fields) VALUES ($1, $2, $3, $4, $5, $6)`,
        [batchId, f.source, f.fileName, f.sha256, f.bytes, f.headerFields],
      );
    }
  });
  return { files: ingested };
}

async function previousDelivery(pool: Pool, batchId: string): Promise<{ files: IngestedFile[]; summary: BatchSummary } | null> {
  const { rows } = await pool.query<IngestedFile & { status: string; summary: BatchSummary }>(
    `SELECT b.status, b.summary, f.source, f.file_name AS "fileName", f.file_sha256 AS sha256, f.bytes::float8 AS bytes,
            f.header_fields AS "headerFields"
     FROM ops.batches b JOIN ops.batch_files f USING (batch_id) WHERE b.batch_id = $1`,
    [batchId],
  );
  if (rows.length === 0 || rows[0].status !== 'completed') return null;
  const files = rows.map((r) => ({ source: r.source, fileName: r.fileName, sha256: r.sha256, bytes: r.bytes, headerFields: r.headerFields }));
  return { files, summary: rows[0].summary };
}

function sameFiles(previous: IngestedFile[], stored: { source: SourceName; sha256: string }[]): boolean {
  return previous.length === stored.length && previous.every((f) => stored.find((s) => s.source === f.source)?.sha256 === f.sha256);
}
