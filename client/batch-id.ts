import { fileDigest } from '../activities/ingest/read-rows';
import type { BatchFiles } from '../workflows/types';
import { createHash } from 'node:crypto';

/**
 * Without `--batch`, the id comes from the files' content: running the same files again is
 * the same batch (an idempotent rerun), new content is a new batch.
 */
export async function contentBatchId(files: BatchFiles): Promise<string> {
  const hash = createHash('sha256');
  for (const name of ['conversions', 'broker', 'mapping'] as const) {
    const f = files[name];
    hash.update(`${name}:${f ? (await fileDigest(f)).sha256 : '-'};`);
  }
  return `adhoc-${hash.digest('hex').slice(0, 12)}`;
}

const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export function checkBatchId(id: string): string | null {
  return BATCH_ID.test(id) ? null : `batch id '${id}' must be 1-100 letters, digits, '.', '_', ':' or '-'`;
}
