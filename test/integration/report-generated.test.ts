import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLANTED_EFFECTS } from '../../synth/generate';
import { createTestEnv, type TestEnv } from './harness';

/**
 * Issue 5's first bar, end to end: data from the generator with its planted effects goes
 * through the pipeline, and the report must state the device effect with the right direction
 * and intervals that cover the planted rates; without planted effects it must not.
 */
describe('the report on generated data', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-report-gen-'));
  const envs: TestEnv[] = [];
  afterAll(async () => {
    for (const e of envs) await e.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function reportOn(effects: 'planted' | 'none') {
    const env = await createTestEnv(`reportgen${effects}`);
    envs.push(env);
    const out = path.join(dir, effects);
    const g = await env.cli(['generate', '--out', out, '--days', '30', '--seed', '11', '--effects', effects]);
    expect(g.code, g.stderr).toBe(0);
    const f = (n: string) => path.join(out, n);
    const r = await env.cli(['run', '--conversions', f('brokerchooser_conversions.csv'), '--broker', f('broker_data.csv'), '--mapping', f('page_category_mapping.csv')]);
    expect(r.code, r.stderr).toBe(0);
    const rep = await env.cli(['report', '--out', path.join(out, 'report'), '--json']);
    expect(rep.code, rep.stderr).toBe(0);
    return { env, report: rep.json() };
  }

  it('finds the planted device effect, in the right direction, with intervals covering the planted rates', async () => {
    const { env, report } = await reportOn('planted');
    const planted = PLANTED_EFFECTS.find((e) => e.dimension === 'device')!;
    // The generator plants P(score > 0 | record) by device; the report measures it per click
    // (score_rate), so the planted rate is scaled by each device's realised share of clicks with a record.
    const finding = report.findings.find((f: any) => f.dimension === 'device' && f.metric === 'score_rate');
    expect(finding, JSON.stringify(report.findings.map((f: any) => [f.dimension, f.group, f.metric]))).toBeDefined();
    expect(finding.group).toBe('mobile');
    expect(finding.baseline).toBe('desktop');
    expect(finding.rate).toBeLessThan(finding.baselineRate);
    expect(finding.pValue).toBeLessThan(0.05);
    const { rows } = await env.pool.query(
      `SELECT is_mobile, avg((broker_record_id IS NOT NULL)::int)::float8 AS record_share
       FROM mart.user_journey WHERE conversion_id IS NOT NULL AND (broker_record_id IS NULL OR important_score IS NOT NULL)
       GROUP BY is_mobile`,
    );
    const share = (mobile: boolean) => rows.find((r) => r.is_mobile === mobile)!.record_share;
    const expectMobile = planted.baselineRate * share(true);
    const expectDesktop = planted.rate * share(false);
    expect(finding.ci[0]).toBeLessThanOrEqual(expectMobile);
    expect(finding.ci[1]).toBeGreaterThanOrEqual(expectMobile);
    expect(finding.baselineCi[0]).toBeLessThanOrEqual(expectDesktop);
    expect(finding.baselineCi[1]).toBeGreaterThanOrEqual(expectDesktop);
  });

  it('reports no device finding when nothing was planted', async () => {
    const { report } = await reportOn('none');
    expect(report.findings.filter((f: any) => f.dimension === 'device')).toEqual([]);
  });
});
