import os from 'node:os';
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';

export interface Liveness {
  /** Latest progress (counts so far), sent as the heartbeat's details. */
  progress(details: Record<string, number>): void;
  /** Adds to counts of the progress, for work counted piece by piece (records matched per slice). */
  add(counts: Record<string, number>): void;
  /**
   * Between long synchronous stretches of work: lets the heartbeat out and stops the attempt
   * if Temporal gave up on it (timed out, cancelled), so a stale attempt never keeps computing,
   * holding memory and locks, beside its own retry.
   */
  checkpoint(): Promise<void>;
}

/**
 * Runs an activity body while heartbeating on a timer, with the latest progress as details.
 * A timer (not only per-row calls) keeps long set-based SQL statements alive, while a dead
 * worker stops heartbeating and Temporal hands the activity to another one.
 */
export async function withHeartbeat<T>(body: (live: Liveness) => Promise<T>): Promise<T> {
  const ctx = Context.current();
  let details: Record<string, number> = {};
  const beat = () => ctx.heartbeat(details);
  const timer = setInterval(beat, 5_000);
  try {
    // Each update is heartbeated at once: the worker sends the latest to the server at most
    // once per throttle interval (worker/index.ts), which `journey run` shows as it comes.
    const update = (d: Record<string, number>) => {
      details = { ...details, ...d };
      beat();
    };
    return await body({
      progress: update,
      add: (counts) => update(Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, (details[k] ?? 0) + n]))),
      checkpoint: async () => {
        await new Promise((r) => setImmediate(r));
        beat();
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('activity cancelled');
      },
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
  const ctx = Context.current();
  const started = new Date();
  const result = await body();
  await pool.query(
    `INSERT INTO ops.batch_steps (batch_id, step, attempt, worker, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (batch_id, step, attempt) DO UPDATE SET worker = EXCLUDED.worker, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at`,
    [batchId, step, ctx.info.attempt, WORKER, started],
  );
  // One line a step, at INFO (JOURNEY_LOG_LEVEL): a worker's log then says what it did. The
  // message carries batch and step itself, because the CLI prints a log entry's message alone.
  const durationMs = Date.now() - started.getTime();
  ctx.log.info(`${step} of batch ${batchId} done in ${(durationMs / 1000).toFixed(1)} s (attempt ${ctx.info.attempt})`, { batchId, step, durationMs });
  return result;
}
