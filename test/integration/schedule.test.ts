import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitIntoDays } from '../../infra/sample-landing';
import { createTestEnv, type TestEnv } from './harness';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('the daily schedule and backfills', () => {
  let env: TestEnv;
  let landing: string;
  const id = `sched-${process.pid}`;
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const batches = async () => (await env.pool.query(`SELECT batch_id, status FROM ops.batches ORDER BY batch_id`)).rows;
  const completed = (batch: string) => async () =>
    (await batches()).find((b) => b.batch_id === batch && b.status === 'completed') ? true : undefined;

  beforeAll(async () => {
    env = await createTestEnv('schedule');
    landing = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-sched-'));
    splitIntoDays(landing, ['2024-04-22', '2024-04-23', '2024-04-24', '2024-04-25', '2024-04-26']);
    // what the schedule finds when it fires today: yesterday's drop
    fs.cpSync(path.join(landing, '2024-04-22'), path.join(landing, yesterday), { recursive: true });
    const r = await env.cli(['schedule', 'create', '--landing', landing, '--id', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await env?.cli(['schedule', 'delete', '--id', id]);
    await env?.close();
    fs.rmSync(landing, { recursive: true, force: true });
  });

  it('describes the schedule it created', async () => {
    const r = await env.cli(['schedule', 'describe', '--id', id, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json();
    expect(d).toMatchObject({ schedule: id, paused: false, cron: '0 3 * * *', workflowType: 'dailyWorkflow' });
    expect(d.args).toEqual([{ landing }]);
  });

  it('pauses and unpauses', async () => {
    expect((await env.cli(['schedule', 'pause', '--id', id])).code).toBe(0);
    expect((await env.cli(['schedule', 'describe', '--id', id, '--json'])).json().paused).toBe(true);
    expect((await env.cli(['schedule', 'unpause', '--id', id])).code).toBe(0);
    expect((await env.cli(['schedule', 'describe', '--id', id, '--json'])).json().paused).toBe(false);
  });

  it('fires on trigger and processes the previous day', async () => {
    const r = await env.cli(['schedule', 'trigger', '--id', id]);
    expect(r.code, r.stderr).toBe(0);
    await waitFor(`batch ${yesterday}`, completed(yesterday));
    expect((await batches()).map((b) => b.batch_id)).toEqual([yesterday]);
  });

  it('backfills exactly the days asked for', async () => {
    const r = await env.cli(['schedule', 'backfill', '--from', '2024-04-23', '--to', '2024-04-25', '--id', id]);
    expect(r.code, r.stderr).toBe(0);
    for (const day of ['2024-04-23', '2024-04-24', '2024-04-25']) await waitFor(`batch ${day}`, completed(day));
    await new Promise((r) => setTimeout(r, 2000)); // anything extra would have started by now
    expect((await batches()).map((b) => b.batch_id).sort()).toEqual(['2024-04-23', '2024-04-24', '2024-04-25', yesterday].sort());
  });

  it('backfills from the CLI, redoing nothing that is unchanged', async () => {
    const steps = async () => (await env.pool.query(`SELECT count(*)::int AS n FROM ops.batch_steps WHERE step = 'publish'`)).rows[0].n;
    const before = await steps();
    const r = await env.cli(['backfill', '--landing', landing, '--from', '2024-04-22', '--to', '2024-04-26', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.json();
    expect(out.status).toBe('completed');
    expect(out.days.map((d: any) => d.batch)).toEqual(['2024-04-22', '2024-04-23', '2024-04-24', '2024-04-25', '2024-04-26']);
    for (const d of out.days) expect(d.conversions.read).toBe(d.conversions.accepted + d.conversions.quarantined);
    expect(await steps()).toBe(before + 2); // only the two new days were published
  });

  it('refuses a usage error with exit code 2', async () => {
    const r = await env.cli(['schedule', 'frobnicate', '--id', id]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected one of create, describe/);
  });
});
