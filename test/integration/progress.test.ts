import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestEnv, ROOT, type TestEnv } from './harness';

/**
 * The progress display as a person sees it: the CLI in a pseudo-terminal (util-linux `script`),
 * its screen output read back frame by frame, against the same command without a terminal.
 */
describe('progress on a terminal and without one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-progress-'));
  const envs: TestEnv[] = [];
  afterAll(async () => {
    for (const env of envs) await env.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Synthetic data in a database of its own: generated sets number their clicks from the same
   * first id, so two of them in one database would be one set's clicks delivered again elsewhere.
   */
  const setUp = async (name: string, generate: string[]) => {
    const env = await createTestEnv(name);
    envs.push(env);
    const out = path.join(dir, name);
    const r = await env.cli(['generate', '--out', out, ...generate]);
    expect(r.code, r.stderr).toBe(0);
    return { env, out };
  };

  /** The CLI in a pseudo-terminal 160 columns wide: everything it wrote to the terminal, and its exit code. */
  const onTerminal = (env: TestEnv, args: string[]) =>
    new Promise<{ code: number; screen: string }>((resolve, reject) => {
      const command = `stty cols 160 rows 40; exec ${[process.execPath, path.join(ROOT, 'bin', 'journey.js'), ...args].map(quoted).join(' ')}`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: env.databaseUrl, TEMPORAL_ADDRESS: env.temporalAddress, JOURNEY_TASK_QUEUE: env.taskQueue },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // A run that hangs ends here, not with the test run still waiting on it.
      const limit = setTimeout(() => child.kill('SIGKILL'), 240_000);
      let screen = '';
      child.stdout.on('data', (b: Buffer) => (screen += b.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(limit);
        resolve({ code: code ?? 1, screen });
      });
    });

  it('shows the step in flight with its rows growing, their rate and the elapsed time, about once a second', async () => {
    // Big enough for normalize and match to take seconds each, so several heartbeats reach the screen.
    const { env, out } = await setUp('progress_tty', ['--days', '7', '--scale', '16']);
    const started = Date.now();
    const r = await onTerminal(env, ['run', '--conversions', path.join(out, 'brokerchooser_conversions.csv'), '--broker', path.join(out, 'broker_data.csv'), '--batch', 'on-terminal']);
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.screen).toBe(0);
    const frames = framesOf(r.screen);
    // the rows of each step as the frames showed them, in order: normalize's rows read, match's records
    const updates = frames
      .map((f) => /▶ (normalize|match) +· ([\d,]+) (?:rows|records) .*· ([\d,]+) (?:rows|records)\/s · step \d+:\d\d · total \d+:\d\d/.exec(f))
      .filter((m) => m !== null)
      .map((m) => ({ step: m[1], rows: Number(m[2].replace(/,/g, '')), rate: Number(m[3].replace(/,/g, '')) }))
      .filter((u, i, all) => i === 0 || u.step !== all[i - 1].step || u.rows !== all[i - 1].rows);
    // several updates during the one run, each with more rows than the one before in its step
    expect(updates.length, frames.join('\n')).toBeGreaterThanOrEqual(4);
    expect(updates.filter((u) => u.step === 'normalize').length, frames.join('\n')).toBeGreaterThanOrEqual(2);
    for (const [i, u] of updates.entries()) {
      expect(u.rate).toBeGreaterThan(0);
      if (i > 0 && updates[i - 1].step === u.step) expect(u.rows).toBeGreaterThan(updates[i - 1].rows);
    }
    // redrawn about once a second: the frames show most of the run's seconds
    const ticks = new Set(frames.map((f) => / total (\d+:\d\d)/.exec(f)?.[1]).filter(Boolean));
    expect(ticks.size).toBeGreaterThanOrEqual(Math.floor(seconds / 2));
    // redrawn in place from the first column, while the step's own line is printed once
    expect(r.screen.match(/\x1b\[1G {2}▶ normalize ·/g)?.length).toBe(r.screen.match(/▶ normalize ·/g)?.length);
    expect(r.screen.split('[█▶··] normalize').length).toBe(2);
    // and the terminal is given back: cursor shown and line wrapping on again, before the summary
    const restored = r.screen.lastIndexOf('\x1b[?25h\x1b[?7h');
    expect(restored).toBeGreaterThan(-1);
    expect(r.screen.indexOf('batch on-terminal: completed')).toBeGreaterThan(restored);
  });

  it('prints a line per step without a terminal, and --json output as before', async () => {
    // Dense enough that normalize and match each outlast a poll (half a second) on a quiet machine.
    const { env, out } = await setUp('progress_plain', ['--days', '3', '--scale', '8']);
    const r = await env.cli(['run', '--conversions', path.join(out, 'brokerchooser_conversions.csv'), '--broker', path.join(out, 'broker_data.csv'), '--batch', 'no-terminal', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\x1b');
    expect(r.stderr).not.toMatch(/▶ \w+ +·/);
    const steps = r.stderr.split('\n').filter((l) => /^ {2}\[[█▶·]{4}\] /.test(l)).map((l) => l.slice(9, 18).trim());
    // one line each, in order, ending with how the batch ended (a step shorter than a poll, often
    // publish here, may pass unseen)
    const order = ['starting', 'ingest', 'normalize', 'match', 'publish', 'completed'];
    expect(steps.map((st) => order.indexOf(st))).toEqual([...new Set(steps)].map((st) => order.indexOf(st)).sort((a, b) => a - b));
    expect(steps).toEqual(expect.arrayContaining(['normalize', 'match']));
    expect(steps.at(-1)).toBe('completed');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.json()).toMatchObject({ batch: 'no-terminal', status: 'completed', conversions: { quarantined: 0 } });
  });

  it('shows a backfill as days staged and done of days total, with the days in flight', async () => {
    // Each day's staging (about a second at this scale) outlasts a few polls, so the bar shows
    // the days one after another.
    const { env, out } = await setUp('progress_backfill', ['--days', '4', '--scale', '12', '--start', '2024-08-01', '--layout', 'landing']);
    const r = await onTerminal(env, ['backfill', '--landing', out, '--from', '2024-08-01', '--to', '2024-08-04', '--concurrency', '1']);
    expect(r.code, r.screen).toBe(0);
    const frames = framesOf(r.screen);
    const live = frames
      .map((f) => /\] 0\/4 days · (?:(\d) staged, to be matched together · )?in flight (2024-08-0\d)/.exec(f))
      .filter((m) => m !== null);
    // one day at a time: the day in flight is the one after the days staged
    for (const m of live) expect(m[2]).toBe(`2024-08-0${Number(m[1] ?? 0) + 1}`);
    expect(new Set(live.map((m) => m[1] ?? '0')).size, frames.join('\n')).toBeGreaterThanOrEqual(3);
    // a line per day staged; the days are then matched and published together, and done
    for (const n of [1, 2, 3]) expect(r.screen).toContain(`backfill: 0 of 4 days done, ${n} staged`);
    expect(r.screen).toContain('backfill: 4 of 4 days done');
  });
});

/** What the terminal showed, one entry per redraw: output split at carriage returns, line feeds and cursor moves, escape codes removed. */
function framesOf(screen: string): string[] {
  return screen
    .split(/\r|\n|\x1b\[1G/)
    .map((f) => f.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trimEnd())
    .filter((f) => f.length > 0);
}

function quoted(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
