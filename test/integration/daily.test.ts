import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../client/batch-runner';
import { dayDelivery } from '../../activities/landing/discover';
import { splitIntoDays } from '../../infra/sample-landing';
import { SAMPLE } from '../fixtures/sample';
import { createTestEnv, type TestEnv } from './harness';
import { exportDifferences, exportRows } from './exports';

const quiet = () => {};

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('daily batches of the landing zone, processed in a shuffled order', () => {
  let whole: TestEnv;
  let daily: TestEnv;
  let landing: string;
  let days: string[];

  beforeAll(async () => {
    landing = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-landing-'));
    days = splitIntoDays(landing);
    whole = await createTestEnv('whole');
    daily = await createTestEnv('daily');
    await runBatch(whole, { batchId: 'all', files: SAMPLE }, quiet);
    for (const day of shuffled(days, 7)) await runBatch(daily, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
  });
  afterAll(async () => {
    await daily?.close();
    await whole?.close();
    fs.rmSync(landing, { recursive: true, force: true });
  });

  it('gives the same export from shuffled daily batches as from one run', async () => {
    const a = await exportRows(whole);
    const b = await exportRows(daily);
    expect(a.size).toBeGreaterThan(50_000);
    const diffs = exportDifferences(a, b, 0.01);
    expect(diffs.slice(0, 20)).toEqual([]);
  });

  it('fits every day the model of one run, from counts cached across batches', async () => {
    const models = async (env: TestEnv) =>
      new Map((await env.pool.query(`SELECT day::text, model FROM ops.match_models`)).rows.map((r) => [r.day, r.model]));
    const a = await models(whole);
    const b = await models(daily);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [day, model] of a) expect(b.get(day), day).toStrictEqual(model);
    const cached = await daily.pool.query('SELECT count(*)::int AS n FROM ops.day_stats');
    expect(cached.rows[0].n).toBeGreaterThanOrEqual(days.length);
  });

  it('changes nothing when a day runs again or its unchanged files are delivered again', async () => {
    const before = await exportRows(daily);
    const day = days[days.length - 3];
    const again = await runBatch(daily, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
    expect(again.status).toBe('completed');
    // a re-delivery: same bytes, new file
    const files = dayDelivery(landing, day).files;
    const copy = `${files.broker}.tmp`;
    fs.copyFileSync(files.broker!, copy);
    fs.renameSync(copy, files.broker!);
    const steps = await daily.pool.query(`SELECT count(*)::int AS n FROM ops.batch_steps WHERE batch_id = $1`, [day]);
    await runBatch(daily, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
    const after = await daily.pool.query(`SELECT count(*)::int AS n FROM ops.batch_steps WHERE batch_id = $1 AND step <> 'ingest'`, [day]);
    expect(after.rows[0].n).toBeLessThanOrEqual(steps.rows[0].n); // no normalize/match/publish ran again
    expect(exportDifferences(before, await exportRows(daily))).toEqual([]);
  });

  it('applies a corrected file for a day and changes only what it should', async () => {
    const before = await exportRows(daily);
    const day = days[days.length - 5];
    const brokerFile = dayDelivery(landing, day).files.broker!;
    const lines = fs.readFileSync(brokerFile, 'utf8').split('\r\n');
    // the correction: one record's score fixed from 0 to 10, one record withdrawn
    const fixed = lines.findIndex((l, i) => i > 0 && l.endsWith(',0'));
    const [ts] = lines[fixed].split(',');
    lines[fixed] = lines[fixed].replace(/,0$/, ',10');
    const withdrawn = lines.splice(fixed + 1, 1)[0];
    fs.writeFileSync(brokerFile, lines.join('\r\n'));
    const s = await runBatch(daily, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
    expect(s.broker.read).toBe(lines.filter((l) => l.length > 0).length - 1);

    const after = await exportRows(daily);
    const diffs = exportDifferences(before, after);
    expect(diffs.length).toBeGreaterThan(0);
    const fixedAt = new Date(Number(ts) * 1000).toISOString().replace('.000', '');
    const withdrawnAt = new Date(Number(withdrawn.split(',')[0]) * 1000).toISOString().replace('.000', '');
    const changedRows = [...after.values()].filter((r) => {
      const key = `${r.conversion_id}|${r.broker_record_id}`;
      return !before.has(key) || JSON.stringify(before.get(key)) !== JSON.stringify(r);
    });
    // the corrected record shows its new score, with its click
    expect(changedRows.some((r) => r.registered_at === fixedAt && r.important_score === '10')).toBe(true);
    // the withdrawn record is gone (its click, if any, is a conversion without a record now)
    expect([...after.values()].some((r) => r.registered_at === withdrawnAt && r.broker_record_id !== '' && r.important_score === withdrawn.split(',')[3] && !before.has(`${r.conversion_id}|${r.broker_record_id}`))).toBe(false);
    // Outside the day (and the two minutes of context around it) no pair is made or broken and
    // no value changes; only match probabilities may move a little, as the models of the days
    // around it were refitted on the corrected data.
    const from = Date.parse(`${day}T00:00:00Z`) - 120_000;
    const to = Date.parse(`${day}T00:00:00Z`) + 86_400_000 + 120_000;
    const within = (r: Record<string, string>) => [r.registered_at, r.clicked_at].some((t) => t && Date.parse(t) >= from && Date.parse(t) <= to);
    const outside = (rows: Map<string, Record<string, string>>) => new Map([...rows].filter(([, r]) => !within(r)));
    expect(exportDifferences(outside(before), outside(after), 0.01)).toEqual([]);
    expect(changedRows.some(within)).toBe(true);
  });

  it('makes one execution and one set of rows for two runs started at the same moment', async () => {
    const day = days[days.length - 2];
    const files = dayDelivery(landing, day).files;
    const args = ['run', '--conversions', files.conversions!, '--broker', files.broker!, '--batch', `twin-${day}`, '--json'];
    const [a, b] = await Promise.all([daily.cli(args), daily.cli(args)]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(a.json().status).toBe('completed');
    const runs: string[] = [];
    for await (const w of daily.temporal!.client.workflow.list({ query: `WorkflowId = "batch-twin-${day}"` })) runs.push(w.runId);
    expect(runs).toHaveLength(1);
    const dup = await daily.pool.query(
      `SELECT count(*)::int AS n FROM (SELECT conversion_id FROM mart.user_journey WHERE conversion_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) x`,
    );
    expect(dup.rows[0].n).toBe(0);
  });
});
