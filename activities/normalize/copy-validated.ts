import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { copyLine } from '../db/copy';
import { CopyTextDecoder } from '../db/copy-out';
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

const PROGRESS_EVERY = 20_000;
const NONE: readonly string[] = Object.freeze([]);

/**
 * Streams a batch's raw rows through validation into a temp table: they are read with COPY on
 * a second connection while the transaction's connection is busy with COPY into the temp
 * table, both as text streams with back-pressure, so memory holds a few chunks whatever the
 * file size.
 */
export async function copyValidated<T>(reader: Pool, writer: PoolClient, job: ValidatedCopy<T>): Promise<number> {
  const cols = job.spec.columns;
  const empty = job.tempColumns.map(() => null);
  const decoder = new CopyTextDecoder();
  let read = 0;
  const validate = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      let out = '';
      for (const fields of decoder.rows(chunk)) {
        const lineNo = fields[0];
        const values: Record<string, string | null> = {};
        for (let i = 0; i < cols.length; i++) values[cols[i]] = fields[i + 3];
        const nulFields = fields[2] === null ? NONE : fields[2].split(',');
        const result = job.validate({ values, fieldCount: Number(fields[1]), nulFields, headerFields: job.headerFields });
        // line_no is digits: nothing in it to escape.
        out += result.ok ? `${lineNo}\t\\N\t${copyLine(job.toValues(result.row))}` : copyLine([lineNo, result.reason, ...empty]);
        if (++read % PROGRESS_EVERY === 0) job.onProgress(read);
      }
      cb(null, out);
    },
    flush(cb) {
      try {
        decoder.end();
      } catch (err) {
        return cb(err as Error);
      }
      job.onProgress(read);
      cb();
    },
  });

  const client = await reader.connect();
  try {
    await client.query('BEGIN READ ONLY');
    // COPY takes no parameters: the batch id reaches the query as a setting of this transaction.
    await client.query("SELECT set_config('journey.batch_id', $1, true)", [job.batchId]);
    // Column names hold no comma: joined with one, the list reads back without an array parser.
    const select = `SELECT line_no, field_count, array_to_string(nul_fields, ','), ${cols.map((c) => client.escapeIdentifier(c)).join(', ')}
                    FROM ${job.spec.rawTable}
                    WHERE batch_id = current_setting('journey.batch_id') ORDER BY line_no`;
    const columns = ['line_no', 'reason', ...job.tempColumns].join(', ');
    await pipeline(
      client.query(copyTo(`COPY (${select}) TO STDOUT`)),
      validate,
      writer.query(copyFrom(`COPY ${job.tempTable} (${columns}) FROM STDIN`)),
    );
    await client.query('COMMIT');
    // Temp tables are never analyzed by autovacuum: without statistics the planner takes the
    // table for a thousand rows and joins it to raw row by row.
    await writer.query(`ANALYZE ${job.tempTable}`);
  } catch (err) {
    // A connection left in the middle of a COPY cannot go back to the pool.
    client.release(err as Error);
    throw err;
  }
  client.release();
  return read;
}
