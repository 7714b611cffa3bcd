import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportCsv } from '../../activities/publish/export';
import type { TestEnv } from './harness';

export type ExportRow = Record<string, string>;

/** The export of `journey export`, keyed by the pair it describes. */
export async function exportRows(env: TestEnv): Promise<Map<string, ExportRow>> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journey-x-')), 'x.csv');
  await exportCsv(env.pool, file);
  const [header, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const cols = header.split(',');
  const rows = new Map<string, ExportRow>();
  for (const line of lines) {
    // values with commas or quotes are CSV-quoted; this parser only needs to split those right
    const values = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((v) => v.replace(/,$/, ''));
    const row = Object.fromEntries(cols.map((c, i) => [c, values[i]]));
    rows.set(`${row.conversion_id}|${row.broker_record_id}`, row);
  }
  return rows;
}

/** Differences between two exports: every column equal, match_probability within `tolerance`. */
export function exportDifferences(a: Map<string, ExportRow>, b: Map<string, ExportRow>, tolerance = 0): string[] {
  const diffs: string[] = [];
  for (const [key, row] of a) {
    const other = b.get(key);
    if (!other) {
      diffs.push(`only in first: ${key}`);
      continue;
    }
    for (const col of Object.keys(row)) {
      if (col === 'match_probability' && row[col] !== '' && other[col] !== '') {
        if (Math.abs(Number(row[col]) - Number(other[col])) > tolerance) diffs.push(`${key} ${col}: ${row[col]} vs ${other[col]}`);
      } else if (row[col] !== other[col]) diffs.push(`${key} ${col}: ${row[col]} vs ${other[col]}`);
    }
  }
  for (const key of b.keys()) if (!a.has(key)) diffs.push(`only in second: ${key}`);
  return diffs;
}
