import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type Options } from 'csv-parse';
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
 * csv-parse with each record turned into a `RawRow` as it is emitted. Its `info: true` option
 * copies the parser's whole info object for every record, which cost as much as the parsing
 * itself at 10x; the line number is all a row needs, and `info.lines` is current while a record
 * is being pushed.
 */
class RowParser extends Parser {
  constructor(private readonly columnIndex: readonly number[], options: Options) {
    super(options);
  }

  override push(record: string[] | null): boolean {
    if (record === null) return super.push(null);
    const values = this.columnIndex.map((i) => (i < record.length ? record[i] : null));
    return super.push({ lineNo: this.info.lines, fieldCount: record.length, values } satisfies RawRow);
  }
}

/**
 * Streams a delivered file as rows. The files are unquoted (README of the data): quote
 * characters are data, so quoting is off and `"><script>` stays one field.
 */
export function readRows(filePath: string, shape: FileShape): Readable {
  const parser = new RowParser(shape.columnIndex, {
    delimiter: shape.delimiter,
    quote: false,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    from_line: 2,
  });
  const source = openText(filePath);
  source.on('error', (err) => parser.destroy(err));
  return source.pipe(parser);
}
