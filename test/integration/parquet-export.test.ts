import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportParquet } from '../../activities/publish/export-parquet';
import { parquetReaderOrSkip, readParquet } from '../fixtures/parquet-reader';
import { SAMPLE } from '../fixtures/sample';
import { createTestEnv, type TestEnv } from './harness';

// The columns of docs/interface.md with the Arrow type each reads back as, written out here
// rather than derived from the writer's schema, so the test checks the file against the
// interface and not against itself.
const INTERFACE_TYPES: [string, string][] = [
  ['match_status', 'string'],
  ['conversion_id', 'string'],
  ['session_id', 'string'],
  ['clicked_at', 'timestamp[us, tz=UTC]'],
  ['country_code', 'string'],
  ['is_mobile', 'bool'],
  ['ui_element', 'string'],
  ['measurement_category', 'string'],
  ['page_category', 'string'],
  ['broker_record_id', 'string'],
  ['registered_at', 'timestamp[us, tz=UTC]'],
  ['residency_country_code', 'string'],
  ['ip_country_code', 'string'],
  ['important_score', 'int32'],
  ['lag_seconds', 'int32'],
  ['match_probability', 'double'],
  ['flags', 'list<element: string not null>'],
];

/**
 * A CSV cell as the typed value the interface says it stands for. `null` is COPY's unquoted
 * empty field; a quoted empty field is the empty string.
 */
function typed(arrowType: string, cell: string | null): unknown {
  if (arrowType.startsWith('list<')) return cell ? cell.split(';') : [];
  if (cell === null || arrowType === 'string') return cell;
  if (arrowType.startsWith('timestamp[')) {
    expect(cell).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return cell.replace(/Z$/, '+00:00'); // what Python's isoformat() writes for UTC
  }
  if (arrowType === 'bool') return ({ true: true, false: false } as Record<string, boolean>)[cell] ?? `not a boolean: ${cell}`;
  if (arrowType === 'int32') return /^-?\d+$/.test(cell) ? Number(cell) : `not an integer: ${cell}`;
  if (arrowType === 'double') return Number(cell);
  throw new Error(`no CSV reading for ${arrowType}`);
}

interface Csv {
  header: string[];
  rows: (string | null)[][];
}

function readCsv(file: string): Csv {
  const [header, ...rows] = parse(fs.readFileSync(file), {
    cast: (value, context) => (value === '' && !context.quoting ? null : value),
  }) as (string | null)[][];
  return { header: header as string[], rows };
}

/** Every difference between the Parquet file as pyarrow reads it and the CSV export. */
function differences(csv: Csv, parquetFile: string): string[] {
  const parquet = readParquet(parquetFile);
  const diffs: string[] = [];
  if (JSON.stringify(parquet.schema) !== JSON.stringify(INTERFACE_TYPES)) diffs.push(`schema: ${JSON.stringify(parquet.schema)}`);
  if (csv.header.join(',') !== INTERFACE_TYPES.map(([c]) => c).join(',')) diffs.push(`CSV header: ${csv.header.join(',')}`);
  if (parquet.rows.length !== csv.rows.length) diffs.push(`rows: ${parquet.rows.length} in Parquet, ${csv.rows.length} in CSV`);
  csv.rows.forEach((cells, r) => {
    INTERFACE_TYPES.forEach(([column, type], c) => {
      const want = typed(type, cells[c]);
      const got = parquet.rows[r]?.[c];
      if (JSON.stringify(got) !== JSON.stringify(want)) diffs.push(`row ${r + 1} ${column}: ${JSON.stringify(got)}, CSV says ${JSON.stringify(want)}`);
    });
  });
  return diffs.slice(0, 20);
}

describe('journey export --out FILE.parquet, read back with pyarrow', () => {
  let env: TestEnv;
  let all: Csv; // the CSV export of the whole sample
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-parquet-'));
  const file = (name: string) => path.join(out, name);

  beforeAll(async () => {
    env = await createTestEnv('parquet');
    const r = await env.cli(['run', '--conversions', SAMPLE.conversions, '--broker', SAMPLE.broker, '--mapping', SAMPLE.mapping, '--batch', 'sample', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const csv = await env.cli(['export', '--out', file('all.csv')]);
    expect(csv.code, csv.stderr).toBe(0);
    all = readCsv(file('all.csv'));
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('equals the CSV export of the sample row for row, with the types of the interface', async (ctx) => {
    parquetReaderOrSkip(ctx);
    const parquet = await env.cli(['export', '--out', file('all.parquet'), '--json']);
    expect(parquet.code, parquet.stderr).toBe(0);
    expect(parquet.json()).toEqual({ file: file('all.parquet'), rows: expect.any(Number) });
    // complete files only: the partial one it was written as is gone
    expect(fs.readdirSync(out).sort()).toEqual(['all.csv', 'all.parquet']);

    expect(differences(all, file('all.parquet'))).toEqual([]);
    expect(all.rows.length).toBe(parquet.json().rows);
    expect(all.rows.length).toBeGreaterThan(1000);

    // The sample has what the types are about: nulls, both booleans, flags, every status.
    const values = (column: string) => new Set(all.rows.map((row) => row[all.header.indexOf(column)]));
    for (const column of ['clicked_at', 'registered_at', 'is_mobile', 'lag_seconds', 'match_probability', 'broker_record_id']) {
      expect(values(column), column).toContain(null);
    }
    expect(values('is_mobile')).toEqual(new Set(['true', 'false', null]));
    expect(values('match_status')).toEqual(new Set(['matched', 'conversion_only', 'broker_only']));
    expect([...values('flags')].filter(Boolean).length).toBeGreaterThan(0);
  });

  it('selects the same rows as the CSV for a range of days, in one row group per cursor fetch', async (ctx) => {
    parquetReaderOrSkip(ctx);
    const day = all.rows[Math.floor(all.rows.length / 2)][all.header.indexOf('clicked_at')]!.slice(0, 10);
    for (const name of ['day.csv', 'day.parquet']) {
      const r = await env.cli(['export', '--out', file(name), '--from', day, '--to', day]);
      expect(r.code, r.stderr).toBe(0);
    }
    const dayCsv = readCsv(file('day.csv'));
    const n = dayCsv.rows.length;
    expect(differences(dayCsv, file('day.parquet'))).toEqual([]);
    expect(n).toBeGreaterThan(1000);
    expect(n).toBeLessThan(all.rows.length);

    // Small groups, so that rows cross several fetches: none is lost, repeated or reordered.
    const written = await exportParquet(env.pool, file('groups.parquet'), { from: day, to: day }, { rowGroupRows: 300 });
    expect(written).toBe(n);
    expect(readParquet(file('groups.parquet')).row_groups).toBe(Math.ceil(n / 300));
    expect(differences(dayCsv, file('groups.parquet'))).toEqual([]);
  });

  it('says in one line which file it cannot write, and leaves nothing behind', async () => {
    const target = path.join(out, 'missing-dir', 'x.parquet');
    const r = await env.cli(['export', '--out', target]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('journey export:'));
    expect(lines).toEqual([`journey export: cannot write ${target}: ENOENT: no such file or directory`]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.dirname(target))).toBe(false);
  });
});
