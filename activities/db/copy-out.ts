/**
 * Reads back COPY text format, the output of `COPY ... TO STDOUT`. Chunks arrive as the socket
 * delivers them, so a row may straddle two; a newline byte never occurs inside a UTF-8
 * sequence, so cutting at the last one keeps every character whole.
 */
export class CopyTextDecoder {
  private rest = Buffer.alloc(0);

  /** The complete rows in `chunk` (and what an earlier chunk left over), as fields; `\N` is null. */
  rows(chunk: Buffer): (string | null)[][] {
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = buf.lastIndexOf(0x0a);
    // A copy: a view would keep the whole socket chunk alive for the sake of its tail.
    this.rest = Buffer.from(buf.subarray(end + 1));
    if (end < 0) return [];
    return buf
      .toString('utf8', 0, end)
      .split('\n')
      .map((line) => line.split('\t').map(decodeField));
  }

  /** The output must end with a whole row: anything left is a truncated stream. */
  end(): void {
    if (this.rest.length > 0) throw new Error(`COPY output ended inside a row (${this.rest.length} bytes left)`);
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
}
