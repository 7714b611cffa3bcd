import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingParquetReader, PARQUET_READER_REQUIRED_VARIABLE, parquetReaderOrSkip, REQUIREMENTS } from '../fixtures/parquet-reader';

const bare = { PATH: fs.mkdtempSync(path.join(os.tmpdir(), 'journey-nopython-')) };
const ROOT = path.resolve(__dirname, '../..');

describe('the Parquet read-back tests on a machine without pyarrow', () => {
  it('say what is missing', () => {
    expect(missingParquetReader(bare)).toBe('no python3 (install Python 3 with pip)');
  });

  it('fail instead of skipping where JOURNEY_REQUIRE_PYARROW=1 (CI)', () => {
    const ctx = { skip: (() => { throw new Error('skipped'); }) as never };
    expect(() => parquetReaderOrSkip(ctx, { ...bare, [PARQUET_READER_REQUIRED_VARIABLE]: '1' })).toThrow(
      /^no python3 .*JOURNEY_REQUIRE_PYARROW=1 makes this a failure$/,
    );
  });

  it('are made required by .ci/run, which installs the pinned reader first', () => {
    expect(fs.readFileSync(REQUIREMENTS, 'utf8').trim()).toMatch(/^pyarrow==\d+\.\d+\.\d+$/);
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    const install = ci.search(new RegExp(`^python3 -m pip install .*-r ${path.relative(ROOT, REQUIREMENTS)}$`, 'm'));
    const required = ci.indexOf(`export ${PARQUET_READER_REQUIRED_VARIABLE}=1`);
    expect(install).toBeGreaterThan(0);
    expect(required).toBeGreaterThan(install);
    expect(ci.indexOf('npm test')).toBeGreaterThan(required);
  });
});
