import fs from 'node:fs';
import path from 'node:path';
import { discoverDays, type DayDelivery } from '../activities/landing/discover';
import { SOURCES } from '../activities/sources';
import type { BatchFiles } from '../workflows/types';

/** The files of the generator's flat layout in `dir`. */
export function flatFiles(dir: string): BatchFiles {
  return {
    conversions: path.join(dir, SOURCES.conversions.fileName),
    broker: path.join(dir, SOURCES.broker.fileName),
    mapping: path.join(dir, SOURCES.mapping.fileName),
  };
}

/** Every delivered day of a landing zone, in order, found the way a backfill finds them. */
export function landingDays(landing: string): DayDelivery[] {
  return discoverDays(landing, '0000-01-01', '9999-12-31');
}

/**
 * Some days of a landing zone as one file per source. The generator's flat file is byte for
 * byte its day files after their headers, so these are the rows one run over those days reads.
 */
export function concatDays(days: DayDelivery[], outDir: string): BatchFiles {
  fs.mkdirSync(outDir, { recursive: true });
  const files = flatFiles(outDir);
  for (const source of ['conversions', 'broker'] as const) {
    const out = fs.openSync(files[source]!, 'w');
    let header: Buffer | undefined;
    try {
      for (const { day, files: dayFiles } of days) {
        const bytes = fs.readFileSync(dayFiles[source]!);
        const bodyAt = bytes.indexOf(0x0a) + 1;
        const dayHeader = bytes.subarray(0, bodyAt);
        if (header === undefined) fs.writeSync(out, (header = dayHeader));
        else if (!dayHeader.equals(header)) throw new Error(`${day}/${SOURCES[source].fileName} has another header than the days before it`);
        fs.writeSync(out, bytes.subarray(bodyAt));
      }
    } finally {
      fs.closeSync(out);
    }
  }
  fs.copyFileSync(days[0].files.mapping!, files.mapping!);
  return files;
}
