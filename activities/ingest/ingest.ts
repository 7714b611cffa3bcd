import type { Pool } from 'pg';
import type { BatchFiles } from '../../workflows/types';
import { inTransaction } from '../db/pool';
import { SOURCES, type SourceName } from '../sources';
import { loadRawFile, type LoadedFile } from './load-raw';

export interface IngestResult {
  files: LoadedFile[];
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
  await pool.query(
    `INSERT INTO ops.batches (batch_id, status, step) VALUES ($1, 'running', 'ingest')
     ON CONFLICT (batch_id) DO UPDATE SET status = 'running', step = 'ingest', started_at = now(), finished_at = NULL, error = NULL`,
    [batchId],
  );
  return inTransaction(pool, async (tx) => {
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
      const file = await loadRawFile(tx, batchId, spec, filePath, (n) => onProgress(name, n));
      await tx.query(
        `INSERT INTO ops.batch_files (batch_id, source, file_name, file_sha256, bytes, header_fields, rows_read)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [batchId, name, file.fileName, file.sha256, file.bytes, file.headerFields, file.rows],
      );
      loaded.push(file);
    }
    return { files: loaded };
  });
}
