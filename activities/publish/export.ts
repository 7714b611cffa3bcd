import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Pool, PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** The export header of docs/interface.md, in order. */
export const EXPORT_COLUMNS = [
  'match_status', 'conversion_id', 'session_id', 'clicked_at', 'country_code', 'is_mobile', 'ui_element',
  'measurement_category', 'page_category', 'broker_record_id', 'registered_at', 'residency_country_code',
  'ip_country_code', 'important_score', 'lag_seconds', 'match_probability', 'flags',
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** Six decimals in every format, so that exports of the same matches diff cleanly. */
export const ROUNDED_PROBABILITY = 'round(match_probability::numeric, 6)';

const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const EXPRESSIONS: Record<ExportColumn, string> = {
  match_status: 'match_status',
  conversion_id: 'conversion_id',
  session_id: 'session_id',
  clicked_at: iso('clicked_at'),
  country_code: 'country_code',
  is_mobile: "CASE is_mobile WHEN true THEN 'true' WHEN false THEN 'false' END",
  ui_element: 'ui_element',
  measurement_category: 'measurement_category',
  page_category: 'page_category',
  broker_record_id: 'broker_record_id',
  registered_at: iso('registered_at'),
  residency_country_code: 'residency_country_code',
  ip_country_code: 'ip_country_code',
  important_score: 'important_score',
  lag_seconds: 'lag_seconds',
  match_probability: ROUNDED_PROBABILITY,
  flags: "array_to_string(flags, ';')",
};

export interface ExportRange {
  /** Inclusive UTC days, YYYY-MM-DD, on the click time (the record time for broker-only rows). */
  from?: string;
  to?: string;
}

export const isDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);

/**
 * The SELECT of an export: `expressions` give each column's value, the range and the order are
 * the same for every format, so a CSV and a Parquet export of one range hold the same rows in
 * the same order. Without bind parameters (COPY and DECLARE take none): the days are validated
 * here and quoted by the driver.
 */
export function exportSelect(client: PoolClient, expressions: Record<ExportColumn, string>, range: ExportRange = {}): string {
  for (const d of [range.from, range.to]) if (d !== undefined && !isDay(d)) throw new Error(`not a YYYY-MM-DD day: '${d}'`);
  const at = `coalesce(clicked_at, registered_at) AT TIME ZONE 'UTC'`;
  const where = [
    range.from ? `${at} >= ${client.escapeLiteral(range.from)}::date` : null,
    range.to ? `${at} < ${client.escapeLiteral(range.to)}::date + 1` : null,
  ].filter(Boolean);
  return `SELECT ${EXPORT_COLUMNS.map((c) => `${expressions[c]} AS ${c}`).join(', ')} FROM mart.user_journey
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY coalesce(clicked_at, registered_at), conversion_id NULLS LAST, broker_record_id NULLS LAST`;
}

/** Streams mart.user_journey to a CSV file via COPY, in a stable order so exports diff cleanly. */
export async function exportCsv(pool: Pool, outFile: string, range: ExportRange = {}): Promise<number> {
  const client = await pool.connect();
  try {
    const select = exportSelect(client, EXPRESSIONS, range);
    let rows = -1; // the header line
    const stream = client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    stream.on('data', (chunk: Buffer) => {
      for (const b of chunk) if (b === 10) rows++;
    });
    await pipeline(stream, fs.createWriteStream(outFile));
    return rows;
  } finally {
    client.release();
  }
}
