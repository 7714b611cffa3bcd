import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { EXPORT_COLUMNS, exportSelect, ROUNDED_PROBABILITY, type ExportColumn, type ExportRange } from './export';

type Schema = ConstructorParameters<typeof ParquetWriter>[0]['schema'];
type SchemaElement = Schema[number];
type ColumnData = Parameters<ParquetWriter['write']>[0]['columnData'];

/**
 * Rows per row group, and per FETCH: the export holds one group at a time (the fetched rows,
 * their columns and the encoded pages), so memory stays flat however large the table is, and
 * grows with this number instead (the whole process peaked at ~290 MiB with 32k, ~420 MiB
 * with 64k, on 2M and 6M rows alike). 32k rows are a few MB compressed: small groups for a
 * data lake, plenty for pandas, Polars or DuckDB reading a file of this size.
 */
const ROW_GROUP_ROWS = 32_768;

/** Bytes the writer buffers before they go to the file. */
const FLUSH_BYTES = 1 << 20;

// Whole seconds as epoch microseconds: the CSV's precision, in the unit most readers default
// to. Sent as float8 (exact below 2^53) because pg parses float8 with parseFloat, much
// cheaper than building a Date per value for millions of rows.
const epochMicros = (col: string) => `(extract(epoch FROM date_trunc('second', ${col}, 'UTC')) * 1000000)::float8`;

const optional = (name: string, element: Omit<SchemaElement, 'name'>): SchemaElement => ({ name, repetition_type: 'OPTIONAL', ...element });
const text = (name: string, repetition_type: 'OPTIONAL' | 'REQUIRED' = 'OPTIONAL'): SchemaElement =>
  ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type });
const timestamp = (name: string) =>
  optional(name, { type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } });

/** Each export column as a typed value and its Parquet schema: the CSV's values, not its text. */
const COLUMNS: Record<ExportColumn, { sql: string; schema: SchemaElement[] }> = {
  match_status: { sql: 'match_status', schema: [text('match_status', 'REQUIRED')] },
  conversion_id: { sql: 'conversion_id', schema: [text('conversion_id')] },
  session_id: { sql: 'session_id', schema: [text('session_id')] },
  clicked_at: { sql: epochMicros('clicked_at'), schema: [timestamp('clicked_at')] },
  country_code: { sql: 'country_code', schema: [text('country_code')] },
  is_mobile: { sql: 'is_mobile', schema: [optional('is_mobile', { type: 'BOOLEAN' })] },
  ui_element: { sql: 'ui_element', schema: [text('ui_element')] },
  measurement_category: { sql: 'measurement_category', schema: [text('measurement_category')] },
  page_category: { sql: 'page_category', schema: [text('page_category')] },
  broker_record_id: { sql: 'broker_record_id', schema: [text('broker_record_id')] },
  registered_at: { sql: epochMicros('registered_at'), schema: [timestamp('registered_at')] },
  residency_country_code: { sql: 'residency_country_code', schema: [text('residency_country_code')] },
  ip_country_code: { sql: 'ip_country_code', schema: [text('ip_country_code')] },
  important_score: { sql: 'important_score', schema: [optional('important_score', { type: 'INT32' })] },
  lag_seconds: { sql: 'lag_seconds', schema: [optional('lag_seconds', { type: 'INT32' })] },
  match_probability: { sql: `${ROUNDED_PROBABILITY}::float8`, schema: [optional('match_probability', { type: 'DOUBLE' })] },
  // A list of strings, not the CSV's `;`-joined text: readers get the flags without splitting.
  flags: {
    sql: 'flags',
    schema: [
      { name: 'flags', repetition_type: 'REQUIRED', num_children: 1, converted_type: 'LIST', logical_type: { type: 'LIST' } },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      text('element', 'REQUIRED'),
    ],
  },
};

const SCHEMA: Schema = [
  { name: 'schema', num_children: EXPORT_COLUMNS.length },
  ...EXPORT_COLUMNS.flatMap((c) => COLUMNS[c].schema),
];
const SQL = Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, COLUMNS[c].sql])) as Record<ExportColumn, string>;

/** The writer's byte buffer, emptied into an open file every MiB and after each row group. */
class FileSink extends ByteWriter {
  constructor(private readonly fd: number) {
    super(FLUSH_BYTES * 2);
  }
  override ensure(size: number): void {
    if (this.index >= FLUSH_BYTES) this.flush();
    super.ensure(size);
  }
  flush(): void {
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(this.fd, bytes, at);
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

/** One fetched batch (rows as arrays, in EXPORT_COLUMNS order) as the writer's columns. */
function columnsOf(rows: unknown[][]): ColumnData {
  return EXPORT_COLUMNS.map((name, c) => ({ name, data: rows.map((row) => row[c]) }));
}

/** Opens the file being written; a failure names the file the user asked for, not its partial. */
function openOrSay(partial: string, outFile: string): number {
  try {
    return fs.openSync(partial, 'w');
  } catch (e) {
    throw new Error(`cannot write ${outFile}: ${(e as Error).message.replace(/,.*$/s, '')}`);
  }
}

/**
 * Streams mart.user_journey to a Parquet file with the types of the data: rows come through a
 * server-side cursor, `rowGroupRows` at a time, and each batch is written as one row group
 * before the next is fetched. Same rows, order and range as the CSV export. The file appears
 * under its name only when complete: it is written beside it and renamed at the end.
 */
export async function exportParquet(
  pool: Pool,
  outFile: string,
  range: ExportRange = {},
  { rowGroupRows = ROW_GROUP_ROWS }: { rowGroupRows?: number } = {},
): Promise<number> {
  const partial = path.join(path.dirname(outFile), `.${path.basename(outFile)}.partial-${process.pid}`);
  let fd: number | undefined = openOrSay(partial, outFile);
  const client = await pool.connect();
  try {
    // A cursor lives in a transaction; READ ONLY also gives the whole export one snapshot.
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE journey_export NO SCROLL CURSOR FOR ${exportSelect(client, SQL, range)}`);
    const writer = new ParquetWriter({ writer: new FileSink(fd), schema: SCHEMA });
    let rows = 0;
    for (;;) {
      const batch = await client.query<unknown[]>({ text: `FETCH FORWARD ${rowGroupRows} FROM journey_export`, rowMode: 'array' });
      if (batch.rows.length === 0) break;
      // The writer's calls return a promise when its sink's flush does; this sink's is synchronous.
      await writer.write({ columnData: columnsOf(batch.rows), rowGroupSize: batch.rows.length });
      rows += batch.rows.length;
    }
    await writer.finish();
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(partial, outFile);
    await client.query('COMMIT');
    return rows;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    client.release();
  }
}
