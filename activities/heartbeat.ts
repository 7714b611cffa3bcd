import { Context } from '@temporalio/activity';

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
