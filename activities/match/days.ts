import { CLICK_REACH, RECORD_REACH } from './model';

/**
 * Which days a change of staged rows reaches, in day numbers (whole UTC days since the epoch).
 * Pure: match and publish lock, recompute and rewrite exactly these days, and nothing more.
 */
export const DAY = 86_400;

/** Candidates lie within a minute; rows this far beyond a slice's edges are loaded as context. */
export const CONTEXT_SECONDS = 120;
/**
 * Each day is matched with a model fitted on the days around it: one day holds too few pairs
 * to see the lag tail, and a window keyed to the day itself (not to how the data was batched)
 * makes daily batches in any order and one run over everything give the same pairs.
 */
export const MODEL_HALF_WINDOW_DAYS = 3;
/** A day's counts look six hours (clicks) and two minutes (records) into the days beside it. */
const STATS_REACH_DAYS = Math.ceil(Math.max(CLICK_REACH, RECORD_REACH) / DAY);
/** A record's candidates and competitors lie within two minutes, so in its day or the next one over. */
const CONTEXT_REACH_DAYS = Math.ceil(CONTEXT_SECONDS / DAY);

export interface MatchPlan {
  /** Days whose counts (LagStats) the changed rows feed: recomputed, the cache of the others is read. */
  stats: number[];
  /** Days whose model or candidates changed: re-matched, their pairs and verdicts rewritten. */
  matched: number[];
  /** Days whose counts the models of the matched days sum. */
  counted: number[];
  /**
   * Days no other match or publish may touch meanwhile: the matched days and the days beside
   * them, whose pairs compete with theirs for clicks around midnight.
   */
  locked: number[];
}

export const dayNumber = (epochSeconds: number): number => Math.floor(epochSeconds / DAY);

/** The days from the one holding `from` to the one holding `to`; none when either is missing. */
export function daysOf(from: Date | null | undefined, to: Date | null | undefined): number[] {
  if (!from || !to) return [];
  const out: number[] = [];
  for (let d = dayNumber(from.getTime() / 1000); d <= dayNumber(to.getTime() / 1000); d++) out.push(d);
  return out;
}

/** The sorted distinct days within `reach` of any of `days`. */
export function around(days: readonly number[], reach: number): number[] {
  const out = new Set<number>();
  for (const d of days) for (let k = -reach; k <= reach; k++) out.add(d + k);
  return [...out].sort((a, b) => a - b);
}

/** What re-matching the days whose staged rows changed (`changed`) involves. */
export function matchPlan(changed: readonly number[]): MatchPlan {
  const stats = around(changed, STATS_REACH_DAYS);
  const matched = [...new Set([...around(stats, MODEL_HALF_WINDOW_DAYS), ...around(changed, CONTEXT_REACH_DAYS)])].sort((a, b) => a - b);
  return { stats, matched, counted: around(matched, MODEL_HALF_WINDOW_DAYS), locked: around(matched, CONTEXT_REACH_DAYS) };
}

/**
 * What publish locks to rebuild the mart rows of `days`: their rows' partners lie within two
 * minutes, so in the days beside them.
 */
export function publishLocks(days: readonly number[]): number[] {
  return around(days, CONTEXT_REACH_DAYS);
}

/** Maximal runs of consecutive days, as [first, last + 1) in seconds: the spans SQL filters by. */
export function spans(days: readonly number[]): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const d of [...new Set(days)].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last.to === d * DAY) last.to += DAY;
    else out.push({ from: d * DAY, to: (d + 1) * DAY });
  }
  return out;
}

/**
 * The marked days a match (or publish) of one batch takes on: the batch's own days and every
 * marked day whose locks overlap theirs, transitively. Marks far away stay for their own
 * batches, which then run at the same time on other workers.
 */
export function cluster(own: readonly number[], marked: readonly number[], locksOf: (days: readonly number[]) => number[]): number[] {
  const taken = new Set(own);
  const locked = new Set(locksOf(own));
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of marked) {
      if (taken.has(d) || !locksOf([d]).some((l) => locked.has(l))) continue;
      taken.add(d);
      for (const l of locksOf([d])) locked.add(l);
      grew = true;
    }
  }
  return [...taken].sort((a, b) => a - b);
}

/** The marked days whose locks all lie within `locked`: those a holder of `locked` may handle. */
export function within(marked: readonly number[], locked: readonly number[], locksOf: (days: readonly number[]) => number[]): number[] {
  const held = new Set(locked);
  return [...new Set(marked)].filter((d) => locksOf([d]).every((l) => held.has(l))).sort((a, b) => a - b);
}
