import os from 'node:os';
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';

/**
 * Runs an activity body while heartbeating on a timer, with the latest progress as details.
 * A timer (not only per-row calls) keeps long set-based SQL statements alive, while a dead
 * worker stops heartbeating and Temporal hands the activity to another one.
 */
export async function withHeartbeat<T>(body: (progress: (details: Record<string, number>) => void) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let details: Record<string, number> = {};
  const beat = () => ctx.heartbeat(details);
  const timer = setInterval(beat, 5_000);
  try {
    return await body((d) => {
      details = { ...details, ...d };
    });
  } finally {
    clearInterval(timer);
  }
}

const WORKER = `${os.hostname()}:${process.pid}`;

/**
 * Records which worker ran a batch step and for how long (ops.batch_steps): the evidence for
 * scale-out, and for what orchestration costs next to the work.
 */
export async function recordStep<T>(pool: Pool, batchId: string, step: string, body: () => Promise<T>): Promise<T> {
  const started = new Date();
  const result = await body();
  await pool.query(
    `INSERT INTO ops.batch_steps (batch_id, step, attempt, worker, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (batch_id, step, attempt) DO UPDATE SET worker = EXCLUDED.worker, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at`,
    [batchId, step, Context.current().info.attempt, WORKER, started],
  );
  return result;
}
