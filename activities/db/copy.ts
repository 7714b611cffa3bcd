import { Transform } from 'node:stream';

/**
 * PostgreSQL COPY text format: one line per row, tab-separated, `\N` for NULL, and the four
 * characters that would break the framing escaped. Values are data, never SQL, so injection
 * strings in the files stay inert.
 */
export function copyLine(values: readonly (string | number | boolean | null | undefined | readonly string[])[]): string {
  return values.map(copyValue).join('\t') + '\n';
}

function copyValue(v: string | number | boolean | null | undefined | readonly string[]): string {
  if (v === null || v === undefined) return '\\N';
  if (Array.isArray(v)) return escapeText(arrayLiteral(v));
  return escapeText(String(v));
}

function escapeText(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** text[] literal: every element quoted, so commas, braces and quotes in values survive. */
function arrayLiteral(items: readonly string[]): string {
  return '{' + items.map((i) => '"' + i.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

/** An object-mode stream of rows in, COPY text out, with back-pressure preserved. */
export function toCopyStream<T>(toValues: (row: T) => Parameters<typeof copyLine>[0]): Transform {
  return new Transform({
    writableObjectMode: true,
    transform(row: T, _enc, cb) {
      cb(null, copyLine(toValues(row)));
    },
  });
}
