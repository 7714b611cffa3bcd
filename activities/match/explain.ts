import { pairWeight } from './assign';
import type { CandidateGraph } from './candidates';
import type { Indexed } from './records';
import type { MatchModel, UnmatchedReason } from './types';

/**
 * How far a chosen pair stood above the best other candidate of either its record or its
 * click; null when neither had another candidate.
 */
export function pairMargin(g: CandidateGraph, factor: number, e: number): number | null {
  let best = -Infinity;
  const b = g.broker[e];
  for (let k = g.brokerStart[b]; k < g.brokerStart[b + 1]; k++) if (k !== e) best = Math.max(best, pairWeight(g, factor, k));
  const c = g.click[e];
  for (let k = g.clickStart[c]; k < g.clickStart[c + 1]; k++) {
    const other = g.clickEdges[k];
    if (other !== e) best = Math.max(best, pairWeight(g, factor, other));
  }
  return best === -Infinity ? null : pairWeight(g, factor, e) - best;
}

/**
 * Why a record has no pair. A record whose lag window reaches outside the click data may
 * have lost its click with the cut, whatever else it had; otherwise: no candidate at all,
 * candidates that all went to pairs of larger total weight, or only candidates too weak to link.
 */
export function unmatchedReason(
  data: Indexed,
  g: CandidateGraph,
  model: MatchModel,
  period: { from: number; to: number } | undefined,
  b: number,
): UnmatchedReason {
  const t = data.brokerT[b];
  const minLag = model.support?.from ?? 0;
  const maxLag = model.support?.to ?? 0;
  if (period && (t - maxLag < period.from || t - minLag > period.to)) return 'outside_click_period';
  const start = g.brokerStart[b];
  const end = g.brokerStart[b + 1];
  if (start === end) return 'no_candidate';
  for (let e = start; e < end; e++) if (pairWeight(g, model.priorFactor, e) > 0) return 'lost_to_better';
  return 'below_threshold';
}
