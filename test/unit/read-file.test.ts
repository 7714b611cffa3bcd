import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCopyChunks, copyLine } from '../../activities/db/copy';
import { withVisibleNul } from '../../activities/ingest/nul-bytes';
import { readRows, type RawRow } from '../../activities/ingest/read-rows';
import { FileRejected, sniffFile } from '../../activities/ingest/sniff';
import { SOURCES } from '../../activities/sources';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-read-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer, ext = '.csv') => {
  const p = path.join(dir, `f${n++}${ext}`);
  fs.writeFileSync(p, content);
  return p;
};

async function rows(p: string, spec = SOURCES.conversions): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of readRows(p, await sniffFile(p, spec))) out.push(r);
  return out;
}

const HEADER = 'id;session_id;country_name;is_mobile;ui_element;created_at;measurement_category';
const ROW = `1;2;Germany;0;"><script>;2024-04-22 10:00:00;01homepa/02notrel/03notrel'`;

describe('reading delivered files', () => {
  it('reads CRLF, LF and a UTF-8 BOM alike, with quotes as data', async () => {
    for (const content of [`${HEADER}\r\n${ROW}\r\n`, `${HEADER}\n${ROW}\n`, `\uFEFF${HEADER}\r\n${ROW}`]) {
      const r = await rows(file(content));
      expect(r).toEqual([
        { lineNo: 2, fieldCount: 7, values: ['1', '2', 'Germany', '0', '"><script>', '2024-04-22 10:00:00', "01homepa/02notrel/03notrel'"] },
      ]);
    }
  });

  it('detects the separator from the header and maps columns by name in any order', async () => {
    const p = file('ip_country,timestamp,important_score,country_residency\r\nFrance,1713716155,#REF!,\r\n');
    const shape = await sniffFile(p, SOURCES.broker);
    expect(shape.delimiter).toBe(',');
    expect(await rows(p, SOURCES.broker)).toEqual([{ lineNo: 2, fieldCount: 4, values: ['1713716155', '', 'France', '#REF!'] }]);
  });

  it('keeps line numbers of the file, skipping blank lines, and counts fields', async () => {
    const r = await rows(file(`${HEADER}\r\n${ROW}\r\n\r\n1;2;3\r\n`));
    expect(r.map((x) => [x.lineNo, x.fieldCount])).toEqual([
      [2, 7],
      [4, 3],
    ]);
    expect(r[1].values.slice(3)).toEqual([null, null, null, null]);
  });

  it('reads gzip-compressed deliveries, known by their content whatever their name', async () => {
    const gzipped = zlib.gzipSync(`${HEADER}\n${ROW}\n`);
    expect(await rows(file(gzipped, '.csv.gz'))).toHaveLength(1);
    expect(await rows(file(gzipped, '.csv'))).toHaveLength(1);
    expect(await rows(file(`${HEADER}\n${ROW}\n`, '.csv.gz'))).toHaveLength(1);
  });

  it('numbers rows by the lines of the file, whatever lone CRs and NULs the fields hold', async () => {
    // Every 100th row has a lone CR in a field, one row thousands of lines in a NUL; id = line number.
    const lines = [HEADER];
    for (let line = 2; line <= 12_000; line++) {
      const ui = line === 9_876 ? 'desktop\u0000top5' : line % 100 === 0 ? 'desktop\rtop5' : 'desktop-top5';
      lines.push(line % 1000 === 0 ? '' : `${line};2;Germany;0;${ui};2024-04-22 10:00:00;x`);
    }
    for (const eol of ['\r\n', '\n']) {
      for (const ext of ['.csv', '.csv.gz']) {
        const text = lines.join(eol) + eol;
        const r = await rows(file(ext === '.csv' ? text : zlib.gzipSync(text), ext));
        expect(r.filter((x) => x.values[0] !== String(x.lineNo))).toEqual([]);
        expect(r).toHaveLength(12_000 - 1 - 12);
        expect(r.find((x) => x.lineNo === 9_876)?.values[4]).toBe('desktop\u0000top5');
        expect(r.find((x) => x.lineNo === 4_200)?.values[4]).toBe('desktop\rtop5');
      }
    }
  });

  it('reads a long file with one NUL in a field of its first block as text', async () => {
    const lines = [HEADER, ...Array.from({ length: 2000 }, (_, i) => ROW.replace(/^1;/, `${i + 2};`))];
    lines[100] = lines[100].replace('Germany', 'Ger\u0000many');
    const r = await rows(file(lines.join('\r\n')));
    expect(r).toHaveLength(2000);
    expect(r[99]).toMatchObject({ lineNo: 101, values: ['101', '2', 'Ger\u0000many', '0', '"><script>', '2024-04-22 10:00:00', "01homepa/02notrel/03notrel'"] });
  });

  it('rejects empty, binary, non-UTF-8 and wrong-header files naming the line', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /line 1: file is empty/],
      ['\r\n\r\n', /line 1: file is empty/],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08]), /line 1: binary content \(ZIP archive/],
      [zlib.gzipSync(Buffer.from('%PDF-1.4\n')), /line 1: binary content \(PDF document\): not a CSV text file/],
      [Buffer.from(`id;session\u0000_id;country_name\r\n1;2;3\r\n`), /line 1: control character U\+0000 in the header/],
      [Buffer.from([0x69, 0x64, 0x3b, 0xff, 0xfe, 0x0a]), /line 1: not UTF-8 text/],
      ['id;session_id;country_name\r\n1;2;3\r\n', /line 1: missing required column\(s\) is_mobile, ui_element, created_at, measurement_category/],
    ];
    for (const [content, message] of cases) {
      const p = file(content);
      const err = await sniffFile(p, SOURCES.conversions).catch((e) => e);
      expect(err).toBeInstanceOf(FileRejected);
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(path.basename(p))).toBe(true);
    }
  });

  it('names a missing file', async () => {
    const err = await sniffFile(path.join(dir, 'nope.csv'), SOURCES.broker).catch((e) => e);
    expect(err.message).toMatch(/nope.csv line 0: file not found/);
  });
});

describe('withVisibleNul', () => {
  it('shows each NUL as ␀ and names the columns that held one', () => {
    expect(withVisibleNul(['a\u0000b\u0000', 'c', null, '\u0000'], ['w', 'x', 'y', 'z'])).toEqual({ values: ['a␀b␀', 'c', null, '␀'], nulFields: ['w', 'z'] });
    expect(withVisibleNul(['a', null], ['w', 'x']).nulFields).toEqual([]);
  });
});

describe('copyLine', () => {
  it('escapes the COPY framing characters and keeps SQL as data', () => {
    expect(copyLine(['a\tb', 'c\nd', 'e\\f', "x'); DROP TABLE t;--", null, 3, true, ['a', 'b"c', 'd,e']])).toBe(
      'a\\tb\tc\\nd\te\\\\f\tx\'); DROP TABLE t;--\t\\N\t3\ttrue\t{"a","b\\\\"c","d,e"}\n',
    );
  });

  it('writes instants as toISOString does, on any day', () => {
    for (const iso of ['2024-04-01T00:00:00.000Z', '2024-04-01T23:59:59.999Z', '2024-04-02T00:00:00.001Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '0100-03-01T12:00:00.000Z']) {
      expect(copyLine([new Date(iso)])).toBe(`${iso}\n`);
    }
  });
});

describe('binaryCopyChunks', () => {
  it('writes the header, each field as its length and bytes, NULL as -1 and the trailer', () => {
    const out = Buffer.concat([...binaryCopyChunks(['text', 'int4', 'float8', 'float8'], [['é\t', -3, 0.1, null]])]);
    const row = Buffer.alloc(2 + 4 + 3 + 4 + 4 + 4 + 8 + 4);
    let at = row.writeInt16BE(4, 0);
    at = row.writeInt32BE(3, at);
    at += row.write('é\t', at, 'utf8');
    at = row.writeInt32BE(4, at);
    at = row.writeInt32BE(-3, at);
    at = row.writeInt32BE(8, at);
    at = row.writeDoubleBE(0.1, at);
    row.writeInt32BE(-1, at);
    const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
    expect(out.equals(Buffer.concat([header, row, Buffer.from([0xff, 0xff])]))).toBe(true);
  });

  it('splits into chunks of about 64 KB at row boundaries, and fits a row longer than a chunk', () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ['x'.repeat(i % 100), i]);
    rows.push(['y'.repeat(200_000), 0]);
    const chunks = [...binaryCopyChunks(['text', 'int4'], rows)];
    expect(chunks.length).toBeGreaterThan(2);
    const all = Buffer.concat(chunks);
    let at = 19;
    for (const [text, n] of rows) {
      expect(all.readInt16BE(at)).toBe(2);
      const length = all.readInt32BE(at + 2);
      expect(all.toString('utf8', at + 6, at + 6 + length)).toBe(text);
      expect(all.readInt32BE(at + 10 + length)).toBe(n);
      at += 14 + length;
    }
    expect(all.readInt16BE(at)).toBe(-1);
    expect(all.length).toBe(at + 2);
  });
});
