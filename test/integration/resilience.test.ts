import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayDelivery } from '../../activities/landing/discover';
import { runBatch } from '../../client/batch-runner';
import { freePort } from '../../infra/ports';
import { splitIntoDays } from '../../infra/sample-landing';
import { progressQuery } from '../../workflows';
import { batchWorkflowId } from '../../workflows/ids';
import { exportDifferences, exportRows } from './exports';
import { createTestEnv, type TestEnv } from './harness';
import { waitFor } from './wait-for';

const DAYS = ['2024-04-22', '2024-04-23', '2024-04-24', '2024-04-25', '2024-04-26', '2024-04-27'];
const quiet = () => {};

function stop(worker: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (worker.exitCode !== null || worker.signalCode !== null) return resolve();
    worker.once('exit', () => resolve());
    worker.kill(signal);
  });
}

describe('crashes, lost connections and more workers', () => {
  let landing: string;
  let reference: TestEnv;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    landing = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-resilience-'));
    splitIntoDays(landing, DAYS);
    // The uninterrupted run everything below must equal.
    reference = await createTestEnv('reference');
    for (const day of DAYS) await runBatch(reference, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
  });
  afterAll(async () => {
    for (const w of workers) await stop(w, 'SIGKILL');
    await reference?.close();
    fs.rmSync(landing, { recursive: true, force: true });
  });

  async function expectSameAsReference(env: TestEnv) {
    expect(exportDifferences(await exportRows(reference), await exportRows(env))).toEqual([]);
  }

  for (const step of ['match', 'publish'] as const) {
    it(`finishes a batch on a new worker when its worker is killed in ${step}`, async () => {
      const env = await createTestEnv(`crash${step}`, { worker: false });
      try {
        for (const day of DAYS.slice(0, -1)) {
          const w = env.spawnWorker();
          workers.push(w);
          await runBatch(env, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
          await stop(w);
        }
        const day = DAYS[DAYS.length - 1];
        // The first worker stalls inside the step's transaction, and is killed there.
        const doomed = env.spawnWorker({ JOURNEY_FAILPOINTS: `${step}:before-commit=60000` });
        workers.push(doomed);
        const result = runBatch(env, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
        const handle = env.temporal!.client.workflow.getHandle(batchWorkflowId(day));
        await waitFor(`the ${step} step`, async () => ((await handle.query(progressQuery)).step === step ? true : undefined));
        await new Promise((r) => setTimeout(r, 1500)); // well inside the stalled transaction
        await stop(doomed, 'SIGKILL');
        const rescuer = env.spawnWorker();
        workers.push(rescuer);
        const summary = await result;
        expect(summary.status).toBe('completed');
        const attempts = await env.pool.query(`SELECT max(attempt)::int AS n FROM ops.batch_steps WHERE batch_id = $1 AND step = $2`, [day, step]);
        expect(attempts.rows[0].n).toBeGreaterThanOrEqual(2);
        await expectSameAsReference(env);
        await stop(rescuer);
      } finally {
        await env.close();
      }
    });
  }

  it('completes a batch whose database connections are killed mid-step, losing and doubling nothing', async () => {
    const env = await createTestEnv('pgkill');
    try {
      for (const day of DAYS.slice(0, -1)) await runBatch(env, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
      const day = DAYS[DAYS.length - 1];
      process.env.JOURNEY_FAILPOINTS = 'publish:before-commit=3000';
      const result = runBatch(env, { batchId: day, files: dayDelivery(landing, day).files, day }, quiet);
      const admin = new Client({ connectionString: env.databaseUrl });
      await admin.connect();
      const killed = await waitFor('a publish transaction', async () => {
        const { rows } = await admin.query(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'`,
        );
        return rows[0].n > 0 ? rows[0].n : undefined;
      });
      delete process.env.JOURNEY_FAILPOINTS;
      await admin.end();
      expect(killed).toBeGreaterThan(0);
      expect((await result).status).toBe('completed');
      await expectSameAsReference(env);
    } finally {
      delete process.env.JOURNEY_FAILPOINTS;
      await env.close();
    }
  });

  it('shares a backfill between two worker processes, with the result of a single worker', async () => {
    const env = await createTestEnv('twoworkers', { worker: false });
    try {
      const metricsPort = await freePort();
      const a = env.spawnWorker({ JOURNEY_METRICS_PORT: String(metricsPort) });
      const b = env.spawnWorker();
      workers.push(a, b);
      const r = await env.cli(['backfill', '--landing', landing, '--from', DAYS[0], '--to', DAYS[DAYS.length - 1], '--concurrency', '4', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().days).toHaveLength(DAYS.length);
      const { rows } = await env.pool.query(`SELECT count(DISTINCT worker)::int AS n FROM ops.batch_steps`);
      expect(rows[0].n).toBe(2);
      await expectSameAsReference(env);
      // the worker exposes the SDK's Prometheus metrics
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      expect(metrics).toMatch(/temporal_activity_execution_latency|temporal_workflow_task/);
      await Promise.all([stop(a), stop(b)]);
    } finally {
      await env.close();
    }
  });
});
