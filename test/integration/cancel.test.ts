import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayDelivery } from '../../activities/landing/discover';
import { DAY_LOCK } from '../../activities/db/day-marks';
import { runBatch } from '../../client/batch-runner';
import { splitIntoDays } from '../../infra/sample-landing';
import { backfillWorkflow, progressQuery } from '../../workflows';
import { backfillWorkflowId, batchWorkflowId } from '../../workflows/ids';
import { exportDifferences, exportRows } from './exports';
import { createTestEnv, type TestEnv } from './harness';
import { waitFor } from './wait-for';

const PUBLISHED = '2024-04-22';
const CANCELLED = '2024-04-23';
const BACKFILL = ['2024-04-25', '2024-04-26'];
const quiet = () => {};

/**
 * The day locks, held as another batch's match or publish would hold it: a batch's match then
 * waits inside its transaction for as long as the test needs, a real place for a cancel to find it.
 */
async function holdMatchLocks(env: TestEnv) {
  const other = new Client({ connectionString: env.databaseUrl });
  await other.connect();
  // Every day of the test's data: match locks the days it rewrites, whichever they are.
  const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  await other.query('SELECT pg_advisory_lock($1, d) FROM generate_series($2::int, $3::int) d', [DAY_LOCK, dayNumber('2024-03-20'), dayNumber('2024-05-20')]);
  return {
    waiter: () =>
      waitFor('a match waiting for the match lock', async () => {
        const { rows } = await other.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        return rows.length > 0 ? true : undefined;
      }),
    release: () => other.query('SELECT pg_advisory_unlock_all()'),
    end: () => other.end(),
  };
}

/**
 * A cancel reaches an activity in the answer to its next heartbeat: it has reached match once
 * the server took a heartbeat after recording the cancel request. The batch must not end
 * before that: its match would still be running, and could still commit.
 */
function cancelReachesMatch(handle: WorkflowHandle): Promise<string> {
  return waitFor('the cancel to reach match', async () => {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return 'the batch ended while its match was still running';
    const requested = (await handle.fetchHistory()).events?.find((e) => e.activityTaskCancelRequestedEventAttributes);
    const match = (d.raw.pendingActivities ?? []).find((a) => a.activityType?.name === 'match');
    if (!requested?.eventTime || !match?.lastHeartbeatTime) return undefined;
    return tsToMs(match.lastHeartbeatTime) > tsToMs(requested.eventTime) ? 'the cancel reached match' : undefined;
  });
}

async function batchRow(env: TestEnv, batchId: string) {
  const { rows } = await env.pool.query('SELECT status, step, finished_at FROM ops.batches WHERE batch_id = $1', [batchId]);
  return rows[0];
}

describe('a batch cancelled in Temporal', () => {
  let landing: string;
  let env: TestEnv;

  beforeAll(async () => {
    landing = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-cancel-'));
    splitIntoDays(landing, [PUBLISHED, CANCELLED, ...BACKFILL]);
    env = await createTestEnv('cancel');
    const earlier = await runBatch(env, { batchId: PUBLISHED, files: dayDelivery(landing, PUBLISHED).files, day: PUBLISHED }, quiet);
    expect(earlier.status).toBe('completed');
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(landing, { recursive: true, force: true });
  });

  it('ends cancelled in Temporal, ops.batches, `journey status` and `journey run`, with nothing of it published', async () => {
    const martBefore = await exportRows(env);
    const pairsBefore = await env.pool.query('SELECT * FROM staging.match_pairs ORDER BY conversion_id');
    const files = dayDelivery(landing, CANCELLED).files;

    const lock = await holdMatchLocks(env);
    try {
      const run = env.cli(['run', '--conversions', files.conversions!, '--broker', files.broker!, '--mapping', files.mapping!, '--batch', CANCELLED, '--json']);
      await lock.waiter();
      const handle = env.temporal!.client.workflow.getHandle(batchWorkflowId(CANCELLED));
      expect((await handle.query(progressQuery)).step).toBe('match');

      await handle.cancel(); // what the UI's "Cancel" does
      expect(await cancelReachesMatch(handle)).toBe('the cancel reached match');
      await lock.release();

      const r = await run;
      expect(r.code, r.stderr).toBe(1);
      expect(r.json()).toMatchObject({ batch: CANCELLED, status: 'cancelled', published: 0 });
      const stderr = r.stderr.trim().split('\n');
      expect(stderr[stderr.length - 1]).toBe(`journey run: batch ${CANCELLED} was cancelled during match`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect((await handle.describe()).status.name).toBe('CANCELLED');
    } finally {
      await lock.end();
    }

    const row = await batchRow(env, CANCELLED);
    expect(row).toMatchObject({ status: 'cancelled', step: 'match' });
    expect(row.finished_at).not.toBeNull();
    const status = await env.cli(['status', '--batch', CANCELLED, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().batches[0]).toMatchObject({ batch: CANCELLED, status: 'cancelled', step: 'match' });
    const text = await env.cli(['status', '--batch', CANCELLED]);
    expect(text.stdout).toMatch(new RegExp(`^${CANCELLED}  cancelled during match  started `, 'm'));

    // The cancelled match rolled back: no run recorded, the staged pairs as they were.
    const runs = await env.pool.query('SELECT count(*)::int AS n FROM ops.match_runs WHERE batch_id = $1', [CANCELLED]);
    expect(runs.rows[0].n).toBe(0);
    expect((await env.pool.query('SELECT * FROM staging.match_pairs ORDER BY conversion_id')).rows).toEqual(pairsBefore.rows);
    // Nothing half-published: no row of the batch, and the earlier batch's rows untouched.
    const mart = await env.pool.query('SELECT count(*)::int AS n FROM mart.user_journey WHERE batch_id = $1', [CANCELLED]);
    expect(mart.rows[0].n).toBe(0);
    expect(martBefore.size).toBeGreaterThan(0);
    expect(exportDifferences(martBefore, await exportRows(env))).toEqual([]);
  });

  it('completes and publishes when run again', async () => {
    const summary = await runBatch(env, { batchId: CANCELLED, files: dayDelivery(landing, CANCELLED).files, day: CANCELLED }, quiet);
    expect(summary.status).toBe('completed');
    expect(summary.published).toBeGreaterThan(0);
    expect((await batchRow(env, CANCELLED)).status).toBe('completed');
  });

  it('ends a cancelled backfill cancelled, with its staged days cancelled in match and nothing of them published', async () => {
    const [inFlight, staged] = BACKFILL;
    const lock = await holdMatchLocks(env);
    try {
      const t = env.temporal!;
      const backfill = await t.client.workflow.start(backfillWorkflow, {
        taskQueue: t.taskQueue,
        workflowId: backfillWorkflowId(inFlight, staged),
        args: [{ landing, from: inFlight, to: staged, concurrency: 1 }],
      });
      await lock.waiter();
      await backfill.cancel();
      const day = t.client.workflow.getHandle(batchWorkflowId(inFlight));
      expect(await cancelReachesMatch(day)).toBe('the cancel reached match');
      await lock.release();

      const ended = await backfill.result().then(
        () => 'completed',
        (e) => (e instanceof WorkflowFailedError && e.cause instanceof CancelledFailure ? 'cancelled' : String(e)),
      );
      expect(ended).toBe('cancelled');
      expect((await backfill.describe()).status.name).toBe('CANCELLED');
      expect((await day.describe()).status.name).toBe('CANCELLED');
    } finally {
      await lock.end();
    }
    // Both days were staged before either was matched: both stopped in match, rolled back.
    for (const day of BACKFILL) expect(await batchRow(env, day)).toMatchObject({ status: 'cancelled', step: 'match' });
    const { rows } = await env.pool.query('SELECT count(*)::int AS n FROM mart.user_journey WHERE batch_id = ANY($1)', [BACKFILL]);
    expect(rows[0].n).toBe(0);
  });
});
