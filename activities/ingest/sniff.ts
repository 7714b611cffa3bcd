import path from 'node:path';
import { controlCharacter } from '../control-characters';
import type { SourceSpec } from '../sources';
import { notTextReason } from './binary-content';
import { isGzipped, openText } from './read-rows';

export interface FileShape {
  delimiter: string;
  /** Header names in file order, trimmed and lower-cased. */
  header: string[];
  /** For each required column, its index in a row. */
  columnIndex: number[];
  /** Known by the first bytes, not the name (read-rows.ts). */
  gzipped: boolean;
}

export class FileRejected extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file} line ${line}: ${reason}`);
  }
}

const DELIMITERS = [';', ',', '\t', '|'];
const SAMPLE_BYTES = 64 * 1024;

/**
 * Decides from the first bytes whether a file is the CSV it claims to be, and how to read it.
 * Everything is judged before a single row is stored, so a wrong file costs nothing to reject.
 */
export async function sniffFile(filePath: string, spec: SourceSpec): Promise<FileShape> {
  const file = path.basename(filePath);
  const gzipped = await isGzipped(filePath).catch((e) => {
    throw unreadable(filePath, e);
  });
  const sample = await readHead(filePath, gzipped, file);
  const notText = notTextReason(sample);
  if (notText) throw new FileRejected(file, 1, `${notText}: not a CSV text file`);
  let text: string;
  try {
    // stream: true so a multi-byte character cut by the sample's end is not taken for junk
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    throw new FileRejected(file, 1, 'not UTF-8 text: not a CSV text file');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new FileRejected(file, 1, 'file is empty: expected a header line');
  const headerLine = text.split(/\r?\n/, 1)[0];
  const control = controlCharacter(headerLine);
  if (control) throw new FileRejected(file, 1, `control character ${control} in the header: not a CSV text file`);

  let best: FileShape | undefined;
  let bestMissing: string[] = [...spec.columns];
  for (const delimiter of DELIMITERS) {
    const header = headerLine.split(delimiter).map((h) => h.trim().toLowerCase());
    const columnIndex = spec.columns.map((c) => header.indexOf(c));
    const missing = spec.columns.filter((_, i) => columnIndex[i] < 0);
    if (missing.length < bestMissing.length) {
      best = { delimiter, header, columnIndex, gzipped };
      bestMissing = missing;
    }
  }
  if (!best || bestMissing.length > 0) {
    throw new FileRejected(
      file,
      1,
      `missing required column(s) ${bestMissing.join(', ')} for ${spec.name} data (header was "${headerLine.slice(0, 200)}")`,
    );
  }
  return best;
}

async function readHead(filePath: string, gzipped: boolean, file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of openText(filePath, gzipped)) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= SAMPLE_BYTES) break;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR') throw new FileRejected(file, 1, `not a valid gzip file: ${err.message}`);
    throw unreadable(filePath, err);
  }
  return Buffer.concat(chunks).subarray(0, SAMPLE_BYTES);
}

export function unreadable(filePath: string, err: NodeJS.ErrnoException): FileRejected {
  const file = path.basename(filePath);
  return new FileRejected(file, 0, err.code === 'ENOENT' ? `file not found: ${filePath}` : `cannot read: ${err.message}`);
}
