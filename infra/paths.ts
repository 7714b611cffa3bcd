import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The repository root, whether running from source (tests) or from dist/ (the CLI). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/**
 * The bundled real sample (samples/brokerchooser/README.md), gzipped as ingest accepts it:
 * the demo runs it and the tests read it, so the repository needs nothing beside it.
 */
export function sampleFiles(root = projectRoot()): { conversions: string; broker: string; mapping: string } {
  const dir = path.join(root, 'samples', 'brokerchooser');
  return {
    conversions: path.join(dir, 'brokerchooser_conversions.csv.gz'),
    broker: path.join(dir, 'broker_data.csv.gz'),
    mapping: path.join(dir, 'page_category_mapping.csv.gz'),
  };
}

/** A sample file's text, bytes as delivered (CRLF, unquoted). */
export function readSample(source: keyof ReturnType<typeof sampleFiles>): string {
  return gunzipSync(fs.readFileSync(sampleFiles()[source])).toString('utf8');
}
