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

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Whether the file is gzip-compressed, by its first bytes: a `.csv` can be compressed and a `.gz` plain. */
export async function isGzipped(filePath: string): Promise<boolean> {
  const file = await fs.promises.open(filePath);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(GZIP_MAGIC.length), 0, GZIP_MAGIC.length, 0);
    return bytesRead === GZIP_MAGIC.length && buffer.equals(GZIP_MAGIC);
  } finally {
    await file.close();
  }
}

/** The file's text bytes, decompressed on the fly when it is gzipped (the bundled sample is). */
export function openText(filePath: string, gzipped: boolean): Readable {
  const bytes = fs.createReadStream(filePath);
  if (!gzipped) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (e) => gunzip.destroy(e));
  return bytes.pipe(gunzip);
}

/**
 * csv-parse with each record turned into a `RawRow` as it is emitted, numbered by counting
 * records: csv-parse's `info.lines` counts every CR as a line end, so each lone CR inside a
 * field shifted every later line number by one; and its `info: true` option copied the whole
 * info object for every record, which cost as much as the parsing itself at 10x.
 */
class RowParser extends Parser {
  private lineNo = 0;

  constructor(private readonly columnIndex: readonly number[], options: Options) {
    super(options);
  }

  override push(record: string[] | null): boolean {
    if (record === null) return super.push(null);
    this.lineNo++;
    // The header (sniffed already) and empty lines are no rows.
    if (this.lineNo === 1 || (record.length === 1 && record[0] === '')) return true;
    const values = this.columnIndex.map((i) => (i < record.length ? record[i] : null));
    return super.push({ lineNo: this.lineNo, fieldCount: record.length, values } satisfies RawRow);
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
    // A record ends at LF, with or without CR: one record per line of the file as editors and
    // `sed -n` count them, so counting records counts lines. A lone CR is field content.
    record_delimiter: ['\r\n', '\n'],
  });
  const source = openText(filePath, shape.gzipped);
  source.on('error', (err) => parser.destroy(err));
  // A reader that stops early (looking up a few lines) closes the file too.
  parser.once('close', () => source.destroy());
  return source.pipe(parser);
}
