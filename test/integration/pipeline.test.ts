import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSample, SAMPLE } from '../fixtures/sample';
import { createTestEnv, type TestEnv } from './harness';

// The header of docs/interface.md, written out here rather than imported, so the test
// checks the code against the interface and not against itself.
const INTERFACE_HEADER =
  'match_status,conversion_id,session_id,clicked_at,country_code,is_mobile,ui_element,measurement_category,page_category,' +
  'broker_record_id,registered_at,residency_country_code,ip_country_code,important_score,lag_seconds,match_probability,flags';

const files = SAMPLE;
const runArgs = ['run', '--conversions', files.conversions, '--broker', files.broker, '--mapping', files.mapping, '--batch', 'sample', '--json'];

function dataLines(source: keyof typeof SAMPLE): number {
  return readSample(source).split(/\r?\n/).filter((l) => l.length > 0).length - 1;
}

async function martDigest(env: TestEnv): Promise<{ rows: number; digest: string }> {
  const { rows } = await env.pool.query(
    `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t.conversion_id, t.broker_record_id)) AS digest FROM mart.user_journey t`,
  );
  return rows[0];
}

describe('the whole bundled sample through a real workflow into PostgreSQL', () => {
  let env: TestEnv;
  let summary: any;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-export-'));

  beforeAll(async () => {
    env = await createTestEnv('pipeline');
    const r = await env.cli(runArgs);
    expect(r.code, r.stderr).toBe(0);
    summary = r.json();
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('completes, and accounts for every row of both sources', async () => {
    expect(summary.status).toBe('completed');
    expect(summary.batch).toBe('sample');
    expect(summary.conversions.read).toBe(dataLines('conversions'));
    expect(summary.broker.read).toBe(dataLines('broker'));
    for (const s of [summary.conversions, summary.broker]) expect(s.read).toBe(s.accepted + s.quarantined);
    const q = await env.pool.query(`SELECT source, read, accepted, quarantined FROM ops.source_quality WHERE batch_id = 'sample'`);
    for (const r of q.rows) expect(r.read).toBe(r.accepted + r.quarantined);
    // every accepted conversion is a distinct id in staging, or was collapsed into one
    const c = await env.pool.query(`SELECT count(*)::int AS n FROM staging.conversions`);
    expect(c.rows[0].n).toBe(summary.conversions.accepted - summary.conversions.collapsed);
    expect(summary.conversions.collapsed).toBeGreaterThan(0); // the West Bank / Gaza Strip fan-out
    for (const key of ['matched', 'estimatedFalseMatches', 'durationMs']) expect(typeof summary[key]).toBe('number');
  });

  it('maps every country name in the data to a code', async () => {
    const { rows } = await env.pool.query(
      `SELECT (SELECT count(*) FROM staging.conversions WHERE 'unknown_country' = ANY(flags))::int
            + (SELECT count(*) FROM staging.broker_records WHERE 'unknown_country' = ANY(flags))::int AS unknown,
              (SELECT count(*) FROM staging.conversions WHERE country_code IS NULL)::int AS no_code`,
    );
    expect(rows[0].unknown).toBe(0);
    expect(rows[0].no_code).toBe(0);
  });

  it('matches at least 94% of broker records one-to-one, 99% of pairs within 5 s', async () => {
    const { rows } = await env.pool.query(
      `SELECT (SELECT count(*) FROM staging.broker_records)::int AS brokers,
              count(*)::int AS pairs,
              count(DISTINCT conversion_id)::int AS conversions,
              count(DISTINCT broker_record_id)::int AS records,
              count(*) FILTER (WHERE abs(lag_seconds) <= 5)::int AS within5
       FROM mart.user_journey WHERE match_status = 'matched'`,
    );
    const r = rows[0];
    expect(r.pairs / r.brokers).toBeGreaterThanOrEqual(0.94);
    expect(r.conversions).toBe(r.pairs);
    expect(r.records).toBe(r.pairs);
    expect(r.within5 / r.pairs).toBeGreaterThanOrEqual(0.99);
    const dup = await env.pool.query(
      `SELECT (SELECT count(*) FROM (SELECT broker_record_id FROM mart.user_journey WHERE broker_record_id IS NOT NULL
                GROUP BY 1 HAVING count(*) > 1) x)::int AS b,
              (SELECT count(*) FROM (SELECT conversion_id FROM mart.user_journey WHERE conversion_id IS NOT NULL
                GROUP BY 1 HAVING count(*) > 1) y)::int AS c`,
    );
    expect(dup.rows[0]).toEqual({ b: 0, c: 0 });
    // one row per distinct conversion and one per unmatched broker record
    const m = await env.pool.query(
      `SELECT (SELECT count(*) FROM mart.user_journey)::int AS mart,
              (SELECT count(*) FROM staging.conversions)::int + (SELECT count(*) FROM staging.broker_records)::int
                - (SELECT count(*) FROM staging.match_pairs)::int AS expected`,
    );
    expect(m.rows[0].mart).toBe(m.rows[0].expected);
  });

  it('takes pairs and verdicts away with the staged rows they point at', async () => {
    const client = await env.pool.connect();
    const count = async (sql: string, id: string) => (await client.query<{ n: number }>(sql, [id])).rows[0].n;
    try {
      await client.query('BEGIN');
      const pair = (await client.query('SELECT conversion_id, broker_record_id FROM staging.match_pairs LIMIT 2')).rows;
      const lone = (await client.query('SELECT broker_record_id FROM staging.broker_unmatched LIMIT 1')).rows[0].broker_record_id;
      await client.query('DELETE FROM staging.conversions WHERE conversion_id = $1', [pair[0].conversion_id]);
      await client.query('DELETE FROM staging.broker_records WHERE broker_record_id = ANY($1)', [[pair[1].broker_record_id, lone]]);
      expect(await count('SELECT count(*)::int AS n FROM staging.match_pairs WHERE conversion_id = $1', pair[0].conversion_id)).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM staging.match_pairs WHERE broker_record_id = $1', pair[1].broker_record_id)).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM staging.broker_unmatched WHERE broker_record_id = $1', lone)).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM staging.match_pairs WHERE broker_record_id <> $1', pair[1].broker_record_id)).toBeGreaterThan(0);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('exports the dataset with the header of the interface', async () => {
    const file = path.join(out, 'journey.csv');
    const r = await env.cli(['export', '--out', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe(INTERFACE_HEADER);
    expect(r.json().rows).toBe((await martDigest(env)).rows);
    const matched = lines.find((l) => l.startsWith('matched,'))!.split(',');
    expect(matched[3]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(['true', 'false']).toContain(matched[5]);
  });

  it('leaves an identical mart when the same batch runs again', async () => {
    const before = await martDigest(env);
    const r = await env.cli(runArgs);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().status).toBe('completed');
    expect(await martDigest(env)).toEqual(before);
  });

  it('shows the batch in status', async () => {
    const r = await env.cli(['status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const b = r.json().batches.find((x: any) => x.batch === 'sample');
    expect(b.status).toBe('completed');
    expect(b.sources.conversions.read).toBe(summary.conversions.read);
  });

  it('hands every row to a second batch delivering the same files: one row per key, the same export', async () => {
    const exported = async (name: string) => {
      const file = path.join(out, name);
      const r = await env.cli(['export', '--out', file]);
      expect(r.code, r.stderr).toBe(0);
      return fs.readFileSync(file, 'utf8');
    };
    const before = await exported('before.csv');
    const r = await env.cli(runArgs.map((a) => (a === 'sample' ? 'sample-again' : a)));
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().status).toBe('completed');
    expect(r.json().conversions.collapsed).toBe(summary.conversions.collapsed);
    const { rows } = await env.pool.query(
      `SELECT (SELECT array_agg(DISTINCT batch_id) FROM staging.conversions) AS conversions,
              (SELECT array_agg(DISTINCT batch_id) FROM staging.broker_records) AS broker,
              (SELECT count(*)::int FROM staging.broker_records) AS records,
              (SELECT count(*)::int FROM staging.broker_records WHERE 'duplicate_record' = ANY(flags)) AS identical`,
    );
    expect(rows[0]).toMatchObject({ conversions: ['sample-again'], broker: ['sample-again'], records: summary.broker.accepted });
    expect(rows[0].identical).toBeGreaterThan(0); // identical rows, each its own record under its own id
    expect(await exported('after.csv')).toBe(before);
  });
});
