import type { PoolClient } from 'pg';
import { cluster, within } from '../match/days';

/**
 * Days to redo, per stage (ops.dirty_days): normalize marks the days whose staged rows it
 * changed for match, match marks the days it re-matched for publish. A step takes the marks
 * near its batch's own, from whichever batches made them, so that a backfill's batches in
 * flight together are matched once, not once each.
 */
export type Stage = 'match' | 'publish';

/**
 * Class of the per-day advisory locks (two-key form: class, day number) that match and
 * publish take over the days they rewrite or read pairs of.
 */
export const DAY_LOCK = 7_420_212;

/** Adds marks; each is a row of its own, so marking never waits for a step taking older marks. */
export async function markDays(tx: PoolClient, stage: Stage, days: readonly number[], batchId: string): Promise<void> {
  if (days.length === 0) return;
  await tx.query(
    `INSERT INTO ops.dirty_days (stage, day, batch_id) SELECT $1, DATE '1970-01-01' + d, $3 FROM unnest($2::int[]) d`,
    [stage, days, batchId],
  );
}

export interface Claim {
  /** The marks taken (cleared by `clearClaim` in the same transaction). */
  ids: string[];
  /** Their days, sorted and distinct. */
  days: number[];
  /** The days of each batch whose marks were taken. */
  byBatch: Map<string, number[]>;
}

interface Mark {
  id: string;
  day: number;
  batch_id: string;
}

/**
 * Takes the marks of `stage` that the batch's own marks reach, under per-day advisory
 * transaction locks over `locksOf(days)`, taken in ascending day order so that two steps
 * wanting overlapping days never deadlock. After the locks are held the marks are read again:
 * a step that waited for an overlapping one finds what that one handled gone. Marks made
 * meanwhile next to its own are taken too where their days are free right now (a try-lock
 * never waits, so it cannot deadlock): batches that queued behind one match are then matched
 * together instead of one after another. A step takes only marks whose days it holds every
 * lock for; a batch without marks of its own (another batch's step took them) takes nothing.
 */
export async function claimDays(
  tx: PoolClient,
  stage: Stage,
  batchId: string,
  locksOf: (days: readonly number[]) => number[],
): Promise<Claim> {
  const own = (ms: Mark[]) => ms.filter((m) => m.batch_id === batchId).map((m) => m.day);
  const before = await marks(tx, stage);
  if (own(before).length === 0) return { ids: [], days: [], byBatch: new Map() };
  const locked = new Set(locksOf(cluster(own(before), before.map((m) => m.day), locksOf)));
  // unnest yields the sorted array in order, so the locks are taken in ascending days.
  await tx.query('SELECT pg_advisory_xact_lock($1, d) FROM unnest($2::int[]) d', [DAY_LOCK, [...locked]]);
  const now = await marks(tx, stage);
  const more = locksOf(cluster(own(now), now.map((m) => m.day), locksOf)).filter((d) => !locked.has(d));
  if (own(now).length > 0 && more.length > 0) {
    const { rows } = await tx.query<{ d: number; held: boolean }>(
      'SELECT d, pg_try_advisory_xact_lock($1, d) AS held FROM unnest($2::int[]) d',
      [DAY_LOCK, more],
    );
    for (const r of rows) if (r.held) locked.add(r.d);
  }
  const days = new Set(within(now.map((m) => m.day), [...locked], locksOf));
  const taken = now.filter((m) => days.has(m.day));
  const byBatch = new Map<string, number[]>();
  for (const m of taken) byBatch.set(m.batch_id, [...(byBatch.get(m.batch_id) ?? []), m.day]);
  return { ids: taken.map((m) => m.id), days: [...days].sort((a, b) => a - b), byBatch };
}

export async function clearClaim(tx: PoolClient, claim: Claim): Promise<void> {
  await tx.query('DELETE FROM ops.dirty_days WHERE id = ANY($1::bigint[])', [claim.ids]);
}

async function marks(tx: PoolClient, stage: Stage): Promise<Mark[]> {
  const { rows } = await tx.query<Mark>(
    `SELECT id::text, (day - DATE '1970-01-01') AS day, batch_id FROM ops.dirty_days WHERE stage = $1 ORDER BY id`,
    [stage],
  );
  return rows;
}
