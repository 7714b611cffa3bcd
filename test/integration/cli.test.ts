import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness';

function journey(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(ROOT, 'bin', 'journey.js'), ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('the CLI front door', () => {
  it('lists every command of the interface in --help', async () => {
    const r = await journey(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['run', 'backfill', 'schedule', 'status', 'export', 'evaluate', 'report', 'generate', 'worker']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
      const help = await journey([c, '--help']);
      expect(help.code, c).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: journey ${c}`, 'm'));
    }
  });

  it('exits 2 with the usage on usage errors, before touching any server', async () => {
    for (const args of [[], ['frobnicate'], ['run'], ['run', '--conversions'], ['status', '--bogus'], ['export', '--out', 'x.parquet'], ['export', '--out', 'x.csv', '--from', '24-05-01'], ['backfill', '--landing', '.', '--from', '2024-05-02', '--to', '2024-05-01']]) {
      const r = await journey(args);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });

  it('exits 3 naming the file when an input file does not exist', async () => {
    const r = await journey(['run', '--conversions', 'nope.csv', '--broker', 'nope2.csv', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nope\.csv line 0: file not found/);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ status: 'failed' });
  });
});
