import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumOrSkip, missingPdfTools } from '../fixtures/pdf-tools';

const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-nopdf-'));
const bare = { PATH: empty };

/** A test context whose skip records its note, as vitest's throws to stop the test. */
function context() {
  const notes: (string | undefined)[] = [];
  const skip = ((note?: string) => {
    notes.push(note);
    throw new Error('skipped');
  }) as never;
  return { ctx: { skip }, notes };
}

describe('the PDF tests on a machine without Chromium', () => {
  it('are skipped with the reason, not passed', () => {
    const { ctx, notes } = context();
    expect(() => chromiumOrSkip(ctx, {}, bare)).toThrow('skipped');
    expect(notes).toEqual(['no Chromium (apt-get install chromium, or set CHROMIUM_PATH)']);
  });

  it('fail instead where JOURNEY_REQUIRE_PDF=1 (CI)', () => {
    const { ctx, notes } = context();
    expect(() => chromiumOrSkip(ctx, {}, { ...bare, JOURNEY_REQUIRE_PDF: '1' })).toThrow(/^no Chromium .*JOURNEY_REQUIRE_PDF=1 makes this a failure$/);
    expect(notes).toEqual([]);
  });

  it('name pdftoppm when Chromium is there but the page reader is not', () => {
    const chromium = path.join(empty, 'chromium');
    fs.writeFileSync(chromium, '#!/bin/sh\n', { mode: 0o755 });
    expect(missingPdfTools({ pdftoppm: true }, bare)).toBe('no pdftoppm (apt-get install poppler-utils)');
    expect(missingPdfTools({}, bare)).toBeNull();
    fs.rmSync(chromium);
  });
});
