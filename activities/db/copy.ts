import { Transform } from 'node:stream';

type CopyValue = string | number | boolean | Date | null | undefined | readonly string[];

/**
 * PostgreSQL COPY text format: one line per row, tab-separated, `\N` for NULL, and the four
 * characters that would break the framing escaped. Values are data, never SQL, so injection
 * strings in the files stay inert.
 */
export function copyLine(values: readonly CopyValue[]): string {
  return copyFields(values) + '\n';
}

/** The tab-separated fields of a COPY line, without its newline: for lines built in parts. */
export function copyFields(values: readonly CopyValue[]): string {
  let out = copyValue(values[0]);
  for (let i = 1; i < values.length; i++) out += '\t' + copyValue(values[i]);
  return out;
}

function copyValue(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (Array.isArray(v)) return escapeText(arrayLiteral(v));
  if (v instanceof Date) return timestampText(v);
  return String(v);
}

const DAY_MS = 86_400_000;
const YEAR_10000_MS = 253_402_300_800_000;
let cachedDay = NaN;
let cachedDayText = '';

/**
 * The instant as ISO 8601 UTC, as `toISOString` writes it, which took longer than validating
 * the row it came from. Rows of a batch fall on a few days: the date part is kept from the row
 * before, the time of day is plain arithmetic.
 */
function timestampText(d: Date): string {
  const t = d.getTime();
  if (!(t >= 0 && t < YEAR_10000_MS)) return d.toISOString();
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const ms = t - day * DAY_MS;
  return `${cachedDayText}${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}Z`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

const FRAMING = /[\\\t\n\r]/;

function escapeText(s: string): string {
  // Almost no value needs escaping: testing first spares a replace (and its copy) per value.
  if (!FRAMING.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** text[] literal: every element quoted, so commas, braces and quotes in values survive. */
function arrayLiteral(items: readonly string[]): string {
  return '{' + items.map((i) => '"' + i.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

// One write per row made the socket writes cost more than the rest of a load together.
const CHUNK_CHARS = 64 * 1024;

/** How a column of a binary COPY is written. */
export type BinaryType = 'text' | 'int4' | 'float8';

const BINARY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * COPY's binary format, for rows already in memory, in chunks of about 64 KB: each field as
 * its length and bytes, numbers as they are held. Text COPY wrote every float as its shortest
 * decimal for the server to parse back, through a stream step per row: of a 10x match's
 * 530k pairs, the encoding took 0.62-0.68 s of the worker's CPU and the COPY 1.42 s of the
 * server's; this way 0.26-0.41 s and 1.17 s, and the same values to the bit.
 */
export function* binaryCopyChunks(types: readonly BinaryType[], rows: Iterable<readonly (string | number | null)[]>): Generator<Buffer> {
  let buf = Buffer.allocUnsafe(CHUNK_CHARS);
  let at = BINARY_SIGNATURE.copy(buf, 0);
  at = buf.writeInt32BE(0, at); // flags
  at = buf.writeInt32BE(0, at); // header extension length
  for (const row of rows) {
    // The row's size at most: a UTF-16 unit takes at most three bytes in UTF-8; and the trailer.
    let size = 4;
    for (const v of row) size += 4 + (typeof v === 'string' ? 3 * v.length : 8);
    if (at + size > buf.length) {
      yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(Math.max(CHUNK_CHARS, size));
      at = 0;
    }
    at = buf.writeInt16BE(types.length, at);
    for (let i = 0; i < types.length; i++) {
      const v = row[i];
      if (v === null) at = buf.writeInt32BE(-1, at);
      else if (types[i] === 'text') {
        const n = buf.write(v as string, at + 4, 'utf8');
        at = buf.writeInt32BE(n, at) + n;
      } else if (types[i] === 'int4') at = buf.writeInt32BE(v as number, buf.writeInt32BE(4, at));
      else at = buf.writeDoubleBE(v as number, buf.writeInt32BE(8, at));
    }
  }
  at = buf.writeInt16BE(-1, at); // trailer
  yield buf.subarray(0, at);
}

/**
 * An object-mode stream of rows in, COPY text out in chunks of about 64 KB, with back-pressure
 * preserved. `toLine` may throw to reject the load.
 */
export function toCopyStream<T>(toLine: (row: T) => string): Transform {
  let pending = '';
  return new Transform({
    writableObjectMode: true,
    transform(row: T, _enc, cb) {
      try {
        pending += toLine(row);
      } catch (err) {
        return cb(err as Error);
      }
      if (pending.length < CHUNK_CHARS) return cb();
      const chunk = pending;
      pending = '';
      cb(null, chunk);
    },
    flush(cb) {
      cb(null, pending || undefined);
    },
  });
}
