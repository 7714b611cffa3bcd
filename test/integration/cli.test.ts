import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './harness';

type Result = { code: number; stdout: string; stderr: string };

function exec(file: string, args: string[]): Promise<Result> {
  return new Promise((resolve) =>
    execFile(file, args, { cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr })),
  );
}

const journey = (args: string[]) => exec(process.execPath, [path.join(ROOT, 'bin', 'journey.js'), ...args]);

// Users start the CLI through linked bins whose file name is not journey.js.
const linkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-link-'));
const linked = path.join(linkDir, 'journey');
fs.symlinkSync(path.join(ROOT, 'bin', 'journey.js'), linked);
afterAll(() => fs.rmSync(linkDir, { recursive: true, force: true }));

const LAUNCHERS: Record<string, (args: string[]) => Promise<Result>> = {
  'a symlink in a temp folder': (args) => exec(linked, args),
  npx: (args) => exec('npx', ['--no-install', 'journey', ...args]),
};

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
    for (const args of [[], ['frobnicate'], ['run'], ['run', '--conversions'], ['status', '--bogus'], ['export'], ['export', '--out', 'x.csv', '--from', '24-05-01'], ['backfill', '--landing', '.', '--from', '2024-05-02', '--to', '2024-05-01']]) {
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

describe.each(Object.entries(LAUNCHERS))('the CLI started through %s', (_, launch) => {
  it('prints the usage for --help and exits 0', async () => {
    const r = await launch(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: journey <command>/m);
  });

  it('exits 2 on an unknown command', async () => {
    const r = await launch(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 3 on a missing input file', async () => {
    const r = await launch(['run', '--conversions', 'nope.csv', '--broker', 'nope2.csv']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/nope\.csv line 0: file not found/);
  });
});
