import fs from 'node:fs';
import path from 'node:path';
import type { BatchFiles } from '../../workflows/types';
import { SOURCES, type SourceName } from '../sources';

export interface DayDelivery {
  day: string;
  files: BatchFiles;
}

const DAY_DIR = /^\d{4}-\d{2}-\d{2}$/;

/** A source's file in a folder, plain or gzip-compressed; undefined when not (yet) delivered. */
function find(dir: string, source: SourceName): string | undefined {
  for (const name of [SOURCES[source].fileName, `${SOURCES[source].fileName}.gz`]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return undefined;
}

/**
 * The drops of one day (docs/interface.md): either file may be missing or late; the mapping
 * of the day folder overrides the landing zone's own.
 */
export function dayDelivery(landing: string, day: string): DayDelivery {
  const dir = path.join(landing, day);
  return {
    day,
    files: {
      conversions: find(dir, 'conversions'),
      broker: find(dir, 'broker'),
      mapping: find(dir, 'mapping') ?? find(landing, 'mapping'),
    },
  };
}

/** Days in [from, to] (inclusive, YYYY-MM-DD) whose folder holds at least one data file. */
export function discoverDays(landing: string, from: string, to: string): DayDelivery[] {
  if (!fs.existsSync(landing) || !fs.statSync(landing).isDirectory()) throw new Error(`landing zone ${landing} is not a directory`);
  return fs
    .readdirSync(landing)
    .filter((d) => DAY_DIR.test(d) && d >= from && d <= to)
    .sort()
    .map((d) => dayDelivery(landing, d))
    .filter((d) => d.files.conversions || d.files.broker);
}
