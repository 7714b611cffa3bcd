import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import type { FileShape } from './sniff';

export interface RawRow {
  lineNo: number;
  fieldCount: number;
  /** The required columns' values, in the source spec's order; null where the row is too short. */
  values: (string | null)[];
}

export interface FileDigest {
  sha256: string;
  bytes: number;
}

/** Content identity of a delivery: a re-delivered unchanged file has the same digest. */
export async function fileDigest(filePath: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(fs.createReadStream(filePath), async function (chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}

/** The file's text bytes; `.gz` deliveries (and the bundled sample) are decompressed on the fly. */
export function openText(filePath: string): Readable {
  const bytes = fs.createReadStream(filePath);
  if (!filePath.endsWith('.gz')) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (e) => gunzip.destroy(e));
  return bytes.pipe(gunzip);
}

/**
 * Streams a delivered file as rows. The files are unquoted (README of the data): quote
 * characters are data, so quoting is off and `"><script>` stays one field.
 */
export function readRows(filePath: string, shape: FileShape): Readable {
  const parser = parse({
    delimiter: shape.delimiter,
    quote: false,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    from_line: 2,
  });
  const toRow = new Transform({
    objectMode: true,
    transform({ record, info }: { record: string[]; info: { lines: number } }, _enc, cb) {
      cb(null, {
        lineNo: info.lines,
        fieldCount: record.length,
        values: shape.columnIndex.map((i) => (i < record.length ? record[i] : null)),
      } satisfies RawRow);
    },
  });
  const source = openText(filePath);
  const forward = (err: Error) => toRow.destroy(err);
  source.on('error', forward);
  parser.on('error', forward);
  source.pipe(parser).pipe(toRow);
  return toRow;
}
