import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from '../db/copy';
import type { SourceSpec } from '../sources';
import type { RawInput } from './rows';

type CopyValues = Parameters<typeof copyLine>[0];

export interface ValidatedCopy<T> {
  spec: SourceSpec;
  batchId: string;
  headerFields: number;
  /** Temp table receiving (line_no, reason, ...typed columns); reason is null for accepted rows. */
  tempTable: string;
  tempColumns: readonly string[];
  validate: (input: RawInput) => { ok: true; row: T } | { ok: false; reason: string };
  toValues: (row: T) => CopyValues;
  onProgress: (rows: number) => void;
}

const PAGE = 20_000;

/**
 * Streams a batch's raw rows through validation into a temp table: pages are read by keyset
 * on a second connection while the transaction's connection is busy with COPY, so memory
 * holds one page whatever the file size.
 */
export async function copyValidated<T>(reader: Pool, writer: PoolClient, job: ValidatedCopy<T>): Promise<number> {
  const cols = job.spec.columns;
  const select = `SELECT line_no, field_count, ${cols.map((c) => `"${c}"`).join(', ')} FROM ${job.spec.rawTable}
                  WHERE batch_id = $1 AND line_no > $2 ORDER BY line_no LIMIT ${PAGE}`;
  const empty = job.tempColumns.map(() => null);
  let read = 0;
  async function* lines(): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const { rows } = await reader.query(select, [job.batchId, after]);
      if (rows.length === 0) return;
      let out = '';
      for (const r of rows) {
        const values: Record<string, string | null> = {};
        for (const c of cols) values[c] = r[c];
        const result = job.validate({ values, fieldCount: r.field_count, headerFields: job.headerFields });
        out += result.ok ? copyLine([r.line_no, null, ...job.toValues(result.row)]) : copyLine([r.line_no, result.reason, ...empty]);
      }
      read += rows.length;
      after = rows[rows.length - 1].line_no;
      job.onProgress(read);
      yield out;
    }
  }
  const columns = ['line_no', 'reason', ...job.tempColumns].join(', ');
  await pipeline(Readable.from(lines()), writer.query(copyFrom(`COPY ${job.tempTable} (${columns}) FROM STDIN`)));
  return read;
}
