import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeIfStale } from '../../activities/db/analyze';
import { createTestEnv, type TestEnv } from './harness';
import { waitFor } from './wait-for';

describe('planner statistics after a step', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv('analyze');
    await env.pool.query('CREATE TABLE public.rows_seen (n int)');
  });
  afterAll(async () => env?.close());

  const sampled = async () =>
    (await env.pool.query<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE oid = 'public.rows_seen'::regclass`)).rows[0].n;

  it('analyzes a table never analyzed, even before the server counted its rows', async () => {
    await env.pool.query('INSERT INTO public.rows_seen SELECT generate_series(1, 10000)');
    expect(await analyzeIfStale(env.pool, { 'public.rows_seen': 10_000 })).toEqual(['public.rows_seen']);
    expect(await sampled()).toBe(10_000);
  });

  it('leaves a table whose statistics still hold after a small change, and analyzes it once the changes add up', async () => {
    await env.pool.query('INSERT INTO public.rows_seen SELECT generate_series(1, 300)');
    expect(await analyzeIfStale(env.pool, { 'public.rows_seen': 300 })).toEqual([]);
    expect(await sampled()).toBe(10_000);
    // The server counts changes a few seconds late (each backend flushes its counters when
    // idle, at most once a second and at the latest after ten): wait until it has the 300.
    await waitFor('the server to count 300 changes', async () => {
      const { rows } = await env.pool.query(`SELECT n_mod_since_analyze::int AS n FROM pg_stat_user_tables WHERE relid = 'public.rows_seen'::regclass`);
      return rows[0]?.n >= 300 ? true : undefined;
    }, 20_000);
    await env.pool.query('INSERT INTO public.rows_seen SELECT generate_series(1, 900)');
    expect(await analyzeIfStale(env.pool, { 'public.rows_seen': 900 })).toEqual(['public.rows_seen']);
    expect(await sampled()).toBe(11_200);
  });
});
