import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PoolClient } from 'pg';
import { claimDays, clearClaim, markDays, type Claim } from '../../activities/db/day-marks';
import { matchPlan } from '../../activities/match/days';
import { createTestEnv, type TestEnv } from './harness';

const locks = (days: readonly number[]) => matchPlan(days).locked;

describe('marks and per-day locks of match and publish', () => {
  let env: TestEnv;
  const open: PoolClient[] = [];

  beforeAll(async () => {
    env = await createTestEnv('daymarks', { worker: false });
  });
  afterAll(async () => {
    for (const c of open) {
      await c.query('ROLLBACK').catch(() => {});
      c.release();
    }
    await env?.close();
  });

  /** A transaction of its own, as a match holds one; rolled back and released at the end. */
  async function begin(): Promise<PoolClient> {
    const c = await env.pool.connect();
    open.push(c);
    await c.query('BEGIN');
    return c;
  }

  async function mark(batch: string, days: number[]): Promise<void> {
    const c = await env.pool.connect();
    try {
      await markDays(c, 'match', days, batch);
    } finally {
      c.release();
    }
  }

  it('serializes overlapping days, runs distant days at once, and coalesces the marks nearby', async () => {
    await mark('A', [10]);
    await mark('B', [12]);
    await mark('C', [40]);

    const a = await begin();
    const claimA = await claimDays(a, 'match', 'A', locks);
    // A takes B's mark with its own: their days share locks, so one match handles both.
    expect(claimA.days).toEqual([10, 12]);
    expect(Object.fromEntries(claimA.byBatch)).toEqual({ A: [10], B: [12] });

    const b = await begin();
    let claimB: Claim | undefined;
    const waitingB = claimDays(b, 'match', 'B', locks).then((c) => (claimB = c));
    const c = await begin();
    // C's days are far away: it does not wait for A.
    const claimC = await claimDays(c, 'match', 'C', locks);
    expect(claimC.days).toEqual([40]);
    await new Promise((r) => setTimeout(r, 500));
    expect(claimB).toBeUndefined(); // B waits for A, whose days overlap its own

    await clearClaim(a, claimA);
    await a.query('COMMIT');
    await waitingB;
    // A handled B's day: B has nothing left to do, and leaves C's mark to C.
    expect(claimB!.days).toEqual([]);
    await b.query('COMMIT');
    await clearClaim(c, claimC);
    await c.query('COMMIT');
    const left = await env.pool.query('SELECT count(*)::int AS n FROM ops.dirty_days');
    expect(left.rows[0].n).toBe(0);
  });

  it('takes the marks made next to its own while it waited, once it holds their locks', async () => {
    await mark('D', [100]);
    const d = await begin();
    const claimD = await claimDays(d, 'match', 'D', locks);
    expect(claimD.days).toEqual([100]);

    await mark('E', [103]);
    const e = await begin();
    let claimE: Claim | undefined;
    const waitingE = claimDays(e, 'match', 'E', locks).then((c) => (claimE = c));
    await new Promise((r) => setTimeout(r, 300));
    await mark('F', [105]); // made while E waits; its locks reach beyond E's
    await mark('G', [98]); // below its own: reached by try-locks after the wait
    expect(claimE).toBeUndefined();
    await clearClaim(d, claimD);
    await d.query('COMMIT');
    await waitingE;
    expect(claimE!.days).toEqual([98, 103, 105]);
    await clearClaim(e, claimE!);
    await e.query('COMMIT');
  });

  it('keeps a mark made while a step handles the same day', async () => {
    await mark('H', [200]);
    const h = await begin();
    const claimH = await claimDays(h, 'match', 'H', locks);
    await mark('I', [200]); // normalize of another batch changed the day again meanwhile
    await clearClaim(h, claimH);
    await h.query('COMMIT');
    const left = await env.pool.query(`SELECT batch_id, (day - DATE '1970-01-01') AS day FROM ops.dirty_days`);
    expect(left.rows).toEqual([{ batch_id: 'I', day: 200 }]);
  });
});
