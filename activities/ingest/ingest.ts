import type { Pool } from 'pg';
import type { BatchFiles, BatchSummary } from '../../workflows/types';
import { inTransaction } from '../db/pool';
import { SOURCES, type SourceName } from '../sources';
import { loadRawFile, type LoadedFile } from './load-raw';
import { fileDigest, type FileDigest } from './read-rows';
import { unreadable } from './sniff';

export interface IngestResult {
  files: LoadedFile[];
  /** The summary of the completed run that had exactly these files: nothing to redo. */
  unchanged?: BatchSummary;
}

/**
 * Lands a batch's files in raw, all or nothing: a rejected file leaves no rows of the batch
 * behind. The batch row itself is written first, outside the transaction, so a batch that
 * fails here is still visible (and its failure recorded) in `journey status`.
 */
export async function ingestBatch(
  pool: Pool,
  batchId: string,
  files: BatchFiles,
  onProgress: (source: SourceName, rows: number) => void,
): Promise<IngestResult> {
  const digests = new Map<SourceName, FileDigest>();
  for (const name of Object.keys(SOURCES) as SourceName[]) {
    const filePath = files[name];
    if (filePath) {
      digests.set(
        name,
        await fileDigest(filePath).catch((e) => {
          throw unreadable(filePath, e);
        }),
      );
    }
  }
  const previous = await previousDelivery(pool, batchId);
  if (previous && sameFiles(previous.files, digests)) return { files: previous.files, unchanged: previous.summary };

  await pool.query(
    `INSERT INTO ops.batches (batch_id, status, step) VALUES ($1, 'running', 'ingest')
     ON CONFLICT (batch_id) DO UPDATE SET status = 'running', step = 'ingest', started_at = now(), finished_at = NULL, error = NULL`,
    [batchId],
  );
  const result = await inTransaction(pool, async (tx) => {
    await tx.query('DELETE FROM ops.batch_files WHERE batch_id = $1', [batchId]);
    const loaded: IngestResult['files'] = [];
    for (const name of Object.keys(SOURCES) as SourceName[]) {
      const spec = SOURCES[name];
      const filePath = files[name];
      if (!filePath) {
        // A rerun may deliver fewer files than the run before: forget what it no longer has.
        await tx.query(`DELETE FROM ${spec.rawTable} WHERE batch_id = $1`, [batchId]);
        continue;
      }
      const file = await loadRawFile(tx, batchId, spec, filePath, digests.get(name)!, (n) => onProgress(name, n));
      await tx.query(
        `INSERT INTO ops.batch_files (batch_id, source, file_name, file_sha256, bytes, header_fields, rows_read)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [batchId, name, file.fileName, file.sha256, file.bytes, file.headerFields, file.rows],
      );
      loaded.push(file);
    }
    return { files: loaded };
  });
  // Freshly filled tables have no statistics, and normalize reads the batch back from them and
  // joins them for quarantine: without them the planner guesses their size (badly, at 100x).
  // After the commit: inside the transaction ANALYZE held a lock until it, so the ingests of
  // a backfill's days in flight waited for each other (1.1 s a day of 35 at 1x, of 1.2 s).
  const loadedTables = result.files.map((f) => SOURCES[f.source].rawTable);
  if (loadedTables.length > 0) await pool.query(`ANALYZE ${loadedTables.join(', ')}`);
  return result;
}

async function previousDelivery(pool: Pool, batchId: string): Promise<{ files: LoadedFile[]; summary: BatchSummary } | null> {
  const { rows } = await pool.query<LoadedFile & { status: string; summary: BatchSummary }>(
    `SELECT b.status, b.summary, f.source, f.file_name AS "fileName", f.file_sha256 AS sha256, f.bytes::float8 AS bytes,
            f.header_fields AS "headerFields", f.rows_read AS rows
     FROM ops.batches b JOIN ops.batch_files f USING (batch_id) WHERE b.batch_id = $1`,
    [batchId],
  );
  if (rows.length === 0 || rows[0].status !== 'completed') return null;
  const files = rows.map((r) => ({ source: r.source, fileName: r.fileName, sha256: r.sha256, bytes: r.bytes, headerFields: r.headerFields, rows: r.rows }));
  return { files, summary: rows[0].summary };
}

function sameFiles(previous: LoadedFile[], digests: Map<SourceName, FileDigest>): boolean {
  return previous.length === digests.size && previous.every((f) => digests.get(f.source)?.sha256 === f.sha256);
}
