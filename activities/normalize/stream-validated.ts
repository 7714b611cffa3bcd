import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine, toCopyStream } from '../db/copy';
import { withVisibleNul } from '../ingest/nul-bytes';
import { readRows, type RawRow } from '../ingest/read-rows';
import { CopySpool } from './copy-spool';
import { RepeatedKeys } from './repeated-keys';
import { sniffFile, type FileShape } from '../ingest/sniff';
import type { SourceSpec } from '../sources';
import type { RawInput } from './rows';

type CopyValues = Parameters<typeof copyLine>[0];

/** A batch's file as the raw layer holds it (ingest/file-store.ts). */
export interface StoredDelivery {
  path: string;
  fileName: string;
  sha256: string;
}

export interface ValidatedStream<T> {
  spec: SourceSpec;
  file: StoredDelivery;
  batchId: string;
  /** Where accepted rows go: `table (columns)`, loaded with COPY as they are read. */
  target: string;
  validate: (input: RawInput) => { ok: true; row: T } | { ok: false; reason: string };
  /** The target's values for an accepted row at a line of the file. */
  toValues: (row: T, lineNo: number) => CopyValues;
  /** The key that identifies an accepted row, when the source has one: its repeats are reported. */
  keyOf?: (row: T) => string;
  onProgress: (rows: number) => void;
}

export interface Streamed {
  read: number;
  /** Lines of accepted rows whose key may repeat in the file (first sightings included), ascending. */
  repeatedLines: number[];
  /** The delivered rows of later sightings, which settling repeats may quarantine or re-key. */
  repeats: KeptRows;
}

/**
 * Rows kept from the stream by line, up to a bound: a file of nothing but repeats must not
 * hold them all in memory. Lines beyond it are read again from the stored file.
 */
export class KeptRows {
  private readonly rows = new Map<number, RawRow>();

  constructor(private readonly limit = 50_000) {}

  keep(row: RawRow): void {
    if (this.rows.size < this.limit) this.rows.set(row.lineNo, row);
  }

  /** The rows at these lines, kept or read again from the file. */
  async at(file: StoredDelivery, spec: SourceSpec, lines: readonly number[]): Promise<Map<number, RawRow>> {
    const found = new Map<number, RawRow>();
    const missing = new Set<number>();
    for (const l of lines) {
      const r = this.rows.get(l);
      if (r) found.set(l, r);
      else missing.add(l);
    }
    if (missing.size > 0) for (const [l, r] of await rowsAt(file, spec, missing)) found.set(l, r);
    return found;
  }
}

const PROGRESS_EVERY = 20_000;

/**
 * The one pass over a delivered file: parsed, validated and typed in one stream into its
 * target with COPY, with back-pressure, so memory holds a few chunks whatever the file size.
 * Rows that fail validation go to staging.quarantine with their raw values and lineage.
 * Nothing is written before validation or read back out of the database for it.
 */
export async function streamValidated<T>(tx: PoolClient, job: ValidatedStream<T>): Promise<Streamed> {
  const shape = await sniffFile(job.file.path, job.spec);
  const headerFields = shape.header.length;
  const cols = job.spec.columns;
  const keys = new RepeatedKeys();
  const repeats = new KeptRows();
  const rejected = CopySpool.open();
  let read = 0;
  try {
    const encode = toCopyStream((row: RawRow) => {
      const values: Record<string, string | null> = {};
      for (let i = 0; i < cols.length; i++) values[cols[i]] = row.values[i];
      const result = job.validate({ values, fieldCount: row.fieldCount, headerFields });
      if (++read % PROGRESS_EVERY === 0) job.onProgress(read);
      if (!result.ok) {
        rejected.add([job.batchId, job.spec.name, row.lineNo, result.reason, rawRecord(job.spec, job.file, row)]);
        return '';
      }
      if (job.keyOf && keys.add(job.keyOf(result.row), row.lineNo)) repeats.keep(row);
      return copyLine(job.toValues(result.row, row.lineNo));
    });
    await pipeline(readRows(job.file.path, shape), encode, tx.query(copyFrom(`COPY ${job.target} FROM STDIN`)));
    job.onProgress(read);
    await rejected.copyInto(tx, 'staging.quarantine (batch_id, source, line_no, reason, raw)');
    return { read, repeatedLines: keys.lines(), repeats };
  } finally {
    rejected.remove();
  }
}

/**
 * A quarantined row as delivered, with its lineage, as JSON: the columns' values, the file and
 * line it came from. JSON cannot carry a NUL into PostgreSQL, so NULs are shown as ␀ with
 * `nul_fields` naming their columns (ingest/nul-bytes.ts).
 */
export function rawRecord(spec: SourceSpec, file: StoredDelivery, row: RawRow): string {
  const visible = withVisibleNul(row.values, spec.columns);
  const record: Record<string, unknown> = {
    file_name: file.fileName,
    file_sha256: file.sha256,
    line_no: row.lineNo,
    field_count: row.fieldCount,
    nul_fields: visible.nulFields.length > 0 ? visible.nulFields : null,
  };
  spec.columns.forEach((c, i) => (record[c] = visible.values[i]));
  return JSON.stringify(record);
}

/** The rows of the stored file at these lines. */
async function rowsAt(file: StoredDelivery, spec: SourceSpec, lines: ReadonlySet<number>): Promise<Map<number, RawRow>> {
  const shape: FileShape = await sniffFile(file.path, spec);
  const found = new Map<number, RawRow>();
  for await (const row of readRows(file.path, shape)) {
    const r = row as RawRow;
    if (lines.has(r.lineNo)) found.set(r.lineNo, r);
    if (found.size === lines.size) break;
  }
  return found;
}
