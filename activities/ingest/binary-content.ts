import { GZIP_MAGIC } from './read-rows';

/**
 * Whether the first block of a file says it is not text: a known signature, or more control
 * bytes than text ever has. One NUL byte in a long text file is a broken field of one row
 * (quarantined by normalize), not a reason to refuse the other rows.
 */

// What a delivery may be by mistake: a spreadsheet, a report, an archive or another compressor,
// an image, a database. Checked on the decompressed bytes: gzip here is a file compressed twice.
const SIGNATURES: ReadonlyArray<readonly [kind: string, magic: Buffer]> = [
  ['gzip data', GZIP_MAGIC],
  ['ZIP archive: XLSX, ODS or a zipped file', Buffer.from('PK\x03\x04', 'latin1')],
  ['ZIP archive: XLSX, ODS or a zipped file', Buffer.from('PK\x05\x06', 'latin1')],
  ['legacy Office document: XLS or DOC', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
  ['PDF document', Buffer.from('%PDF-', 'latin1')],
  ['PNG image', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['JPEG image', Buffer.from([0xff, 0xd8, 0xff])],
  ['GIF image', Buffer.from('GIF8', 'latin1')],
  ['xz data', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd data', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['7-Zip archive', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['SQLite database', Buffer.from('SQLite format 3\x00', 'latin1')],
];

// Excel's "Unicode text" export: text, but in an encoding the pipeline does not read. UTF-32
// first: its little-endian mark begins with UTF-16's.
const BYTE_ORDER_MARKS: ReadonlyArray<readonly [encoding: string, magic: Buffer]> = [
  ['UTF-32', Buffer.from([0xff, 0xfe, 0x00, 0x00])],
  ['UTF-32', Buffer.from([0x00, 0x00, 0xfe, 0xff])],
  ['UTF-16', Buffer.from([0xff, 0xfe])],
  ['UTF-16', Buffer.from([0xfe, 0xff])],
];

// Text has tabs, CRs and LFs and next to no other C0 control byte; binary data has them
// everywhere (a tenth of random bytes, half of UTF-16). Above 1% of the block, and more than a
// few bytes so a short file with one broken row stays text.
const CONTROL_SHARE = 0.01;
const CONTROL_MIN = 8;

const isControl = (b: number) => b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d;

const startsWith = (head: Buffer) => ([, magic]: readonly [string, Buffer]) => head.subarray(0, magic.length).equals(magic);

/** Why the first block of a file is not UTF-8 text, or null when it may be. */
export function notTextReason(head: Buffer): string | null {
  const signature = SIGNATURES.find(startsWith(head));
  if (signature) return `binary content (${signature[0]})`;
  const bom = BYTE_ORDER_MARKS.find(startsWith(head));
  if (bom) return `${bom[0]} text (byte order mark), expected UTF-8`;
  let controls = 0;
  for (const b of head) if (isControl(b)) controls++;
  if (controls > CONTROL_MIN && controls > CONTROL_SHARE * head.length) {
    return `binary content (${Math.round((100 * controls) / head.length)}% of the first ${head.length} bytes are NUL or other control bytes)`;
  }
  return null;
}
