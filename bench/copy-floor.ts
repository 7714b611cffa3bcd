import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sniffFile } from '../activities/ingest/sniff';
import { SOURCES, type SourceName, type SourceSpec } from '../activities/sources';
import type { BatchFiles } from '../workflows/types';

export interface FloorFile {
  file: string;
  bytes: number;
  rows: number;
  seconds: number;
}

export interface Floor {
  seconds: number;
  files: FloorFile[];
}

/**
 * The least any loader can take: PostgreSQL copying the delivered bytes, unparsed by us, into
 * unlogged text tables (no WAL, no index, no typing). The pipeline does that and more, so the
 * ratio pipeline / floor says what the rest costs.
 */
export async function copyFloor(databaseUrl: string, files: BatchFiles): Promise<Floor> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE SCHEMA IF NOT EXISTS bench_floor');
    const timed: FloorFile[] = [];
    for (const [source, filePath] of Object.entries(files) as [SourceName, string | undefined][]) {
      if (filePath) timed.push(await copyOne(client, SOURCES[source], filePath));
    }
    await client.query('DROP SCHEMA bench_floor CASCADE');
    return { seconds: timed.reduce((a, f) => a + f.seconds, 0), files: timed };
  } finally {
    await client.end();
  }
}

async function copyOne(client: Client, spec: SourceSpec, filePath: string): Promise<FloorFile> {
  const { delimiter, header } = await sniffFile(filePath, spec);
  const target = `bench_floor.${client.escapeIdentifier(spec.name)}`;
  const columns = header.map((h) => `${client.escapeIdentifier(h)} text`).join(', ');
  const started = process.hrtime.bigint();
  await client.query(`CREATE UNLOGGED TABLE ${target} (${columns})`);
  // The files are unquoted (quote characters are data): a quote byte that never occurs.
  const copy = client.query(
    copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT csv, DELIMITER ${client.escapeLiteral(delimiter)}, QUOTE E'\\x01', HEADER true)`),
  );
  await pipeline(fs.createReadStream(filePath, { highWaterMark: 1 << 20 }), copy);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { file: path.basename(filePath), bytes: fs.statSync(filePath).size, rows: Number(copy.rowCount), seconds };
}
