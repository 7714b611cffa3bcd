import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { notTextReason } from '../../activities/ingest/binary-content';

const HEADER = 'id;session_id;country_name;is_mobile;ui_element;created_at;measurement_category\r\n';
const row = (i: number) => `${i};9;Germany;0;desktop-top5-box;2024-04-22 10:00:00;01homepa/02notrel/03notrel\r\n`;
/** The first 64 KB block of a long conversions file, with `edit` applied to its text. */
const block = (edit: (text: string) => string = (t) => t) =>
  Buffer.from(edit(HEADER + Array.from({ length: 1000 }, (_, i) => row(i + 2)).join(''))).subarray(0, 64 * 1024);

describe('notTextReason', () => {
  it('takes a long file with one NUL, or a few control bytes, for text', () => {
    expect(notTextReason(block())).toBeNull();
    expect(notTextReason(block((t) => t.replace('desktop-top5-box', 'desktop\u0000top5-box')))).toBeNull();
    expect(notTextReason(block((t) => t.replace(/Germany/g, (m, at: number) => (at % 7 === 0 ? 'Ger\u0001many' : m))))).toBeNull();
    // A short file with a broken row or two is still text: its rows are judged one by one.
    expect(notTextReason(Buffer.from(`${HEADER}${row(2).replace('0;', '\u0000\u0000;')}`))).toBeNull();
    expect(notTextReason(Buffer.alloc(0))).toBeNull();
  });

  it('takes a block with many NUL or control bytes for binary', () => {
    expect(notTextReason(block((t) => t.replace(/;/g, '\u0000')))).toMatch(/^binary content \(\d+% of the first 65536 bytes are NUL or other control bytes\)$/);
    const random = Buffer.alloc(4096);
    for (let i = 0; i < random.length; i++) random[i] = (i * 7919) % 256;
    expect(notTextReason(random)).toMatch(/^binary content \(11% of/);
    expect(notTextReason(Buffer.from('ab\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000'))).toMatch(/^binary content/);
  });

  it('knows the signatures of what a delivery may be by mistake', () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj', 'latin1'), 'binary content (PDF document)'],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'binary content (ZIP archive: XLSX, ODS or a zipped file)'],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'binary content (PNG image)'],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]), 'binary content (legacy Office document: XLS or DOC)'],
      // What is left after decompressing a file compressed twice.
      [zlib.gzipSync(HEADER), 'binary content (gzip data)'],
      [Buffer.from(`\ufeff${HEADER}`, 'utf16le'), 'UTF-16 text (byte order mark), expected UTF-8'],
    ];
    expect(cases.map(([head]) => notTextReason(head))).toEqual(cases.map(([, reason]) => reason));
  });
});
