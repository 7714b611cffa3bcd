import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../client/batch-runner';
import { createTestEnv, type TestEnv } from './harness';

const quiet = () => {};

/**
 * A later batch delivering a conversion id that an earlier batch staged takes the row over
 * (the delivery is a correction). When the correction moves the click to another day, the
 * day it left must be matched again: the record it was paired with lost its pair there.
 */
describe('a conversion taken over by a later batch onto another day', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-takeover-'));
  let env: TestEnv;

  beforeAll(async () => {
    env = await createTestEnv('takeover');
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('re-matches the day the click left: its record is matched again or kept with a verdict, once in the mart', async () => {
    const out = path.join(dir, 'data');
    const g = await env.cli(['generate', '--out', out, '--days', '12', '--seed', '4', '--scale', '0.3']);
    expect(g.code, g.stderr).toBe(0);
    const f = (name: string) => path.join(out, name);
    await runBatch(env, { batchId: 'first', files: { conversions: f('brokerchooser_conversions.csv'), broker: f('broker_data.csv'), mapping: f('page_category_mapping.csv') } }, quiet);

    // A click of the second day that a record matched, delivered again six days later.
    const { rows } = await env.pool.query<{ conversion_id: string; broker_record_id: string; clicked_at: Date }>(
      `SELECT p.conversion_id, p.broker_record_id, c.clicked_at FROM staging.match_pairs p JOIN staging.conversions c USING (conversion_id)
       ORDER BY c.clicked_at OFFSET (SELECT count(*) / 6 FROM staging.match_pairs) LIMIT 1`,
    );
    const moved = rows[0];
    const [header, ...lines] = fs.readFileSync(f('brokerchooser_conversions.csv'), 'utf8').split('\n');
    const line = lines.find((l) => l.startsWith(`${moved.conversion_id};`))!;
    const fields = line.split(';');
    const later = new Date(moved.clicked_at.getTime() + 6 * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
    fields[header.split(';').indexOf('created_at')] = later;
    const correction = path.join(dir, 'correction.csv');
    fs.writeFileSync(correction, `${header}\n${fields.join(';')}\n`);
    const s = await runBatch(env, { batchId: 'correction', files: { conversions: correction } }, quiet);
    expect(s.status).toBe('completed');

    // Every staged record has one outcome, a pair or a verdict: none was left without either.
    const { rows: outcomes } = await env.pool.query<{ none: number; both: number }>(
      `SELECT count(*) FILTER (WHERE p.broker_record_id IS NULL AND u.broker_record_id IS NULL)::int AS none,
              count(*) FILTER (WHERE p.broker_record_id IS NOT NULL AND u.broker_record_id IS NOT NULL)::int AS both
       FROM staging.broker_records b
       LEFT JOIN staging.match_pairs p USING (broker_record_id)
       LEFT JOIN staging.broker_unmatched u USING (broker_record_id)`,
    );
    expect(outcomes[0]).toEqual({ none: 0, both: 0 });
    const { rows: mart } = await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM mart.user_journey WHERE broker_record_id = $1', [
      moved.broker_record_id,
    ]);
    expect(mart[0].n).toBe(1);
  });
});
