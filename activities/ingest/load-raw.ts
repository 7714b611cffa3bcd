import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyFields, copyLine, toCopyStream } from '../db/copy';
import type { SourceSpec } from '../sources';
import { readRows, type FileDigest, type RawRow } from './read-rows';
import { FileRejected, sniffFile } from './sniff';

export interface LoadedFile {
  source: SourceSpec['name'];
  fileName: string;
  sha256: string;
  bytes: number;
  headerFields: number;
  rows: number;
}

const RAW_LINEAGE = ['batch_id', 'file_name', 'file_sha256', 'line_no', 'field_count'];

/** Copies one delivered file into its raw table as-is, inside the caller's transaction. */
export async function loadRawFile(
  client: PoolClient,
  batchId: string,
  spec: SourceSpec,
  filePath: string,
  { sha256, bytes }: FileDigest,
  onProgress: (rows: number) => void,
): Promise<LoadedFile> {
  const fileName = path.basename(filePath);
  const shape = await sniffFile(filePath, spec);
  await client.query(`DELETE FROM ${spec.rawTable} WHERE batch_id = $1`, [batchId]);

  const rows = readRows(filePath, shape);
  // The lineage fields are the same on every line of the file: escaped once.
  const lineage = copyFields([batchId, fileName, sha256]);
  let count = 0;
  const encode = toCopyStream((row: RawRow) => {
    const values = copyLine(row.values);
    // Escaping leaves NUL bytes as they are: one search of the encoded values finds one in any field.
    if (values.includes('\u0000')) throw new FileRejected(fileName, row.lineNo, 'binary content (NUL byte) in a field: not a CSV text file');
    count++;
    if (count % 10_000 === 0) onProgress(count);
    return `${lineage}\t${row.lineNo}\t${row.fieldCount}\t${values}`;
  });
  const columns = [...RAW_LINEAGE, ...spec.columns].map((c) => client.escapeIdentifier(c)).join(', ');
  await pipeline(rows, encode, client.query(copyFrom(`COPY ${spec.rawTable} (${columns}) FROM STDIN`)));
  onProgress(count);
  return { source: spec.name, fileName, sha256, bytes, headerFields: shape.header.length, rows: count };
}
