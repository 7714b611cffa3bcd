import { assignPairs, pairWeight } from './assign';
import { buildCandidates } from './candidates';
import { pairMargin, unmatchedReason } from './explain';
import { pairPosteriors } from './probability';
import { indexRecords, LEVEL_NAMES } from './records';
import type { BrokerRecord, Click, MatchOptions, MatchModel, MatchResult, MatchedPair, UnmatchedBroker } from './types';

export { estimateModel } from './model';
export type {
  BrokerRecord,
  Click,
  CountryLevel,
  MatchModel,
  MatchOptions,
  MatchResult,
  MatchedPair,
  UnmatchedBroker,
  UnmatchedReason,
} from './types';

export const MIN_PROBABILITY = 0.5;

/**
 * Candidates kept per record, the strongest first. At the real data's density a record has
 * one or two; at 100x it has two dozen, and the cap changed no pair's verdict on labelled
 * data at 10x (precision at 100x 0.99125 against 0.99138 uncapped, one day measured).
 */
const CANDIDATES_PER_RECORD = 8;

/** Far outside any true lag, near enough that traffic looks alike: what chance alone links. */
const CHANCE_SHIFTS = [3600, -3600];

export function matchRecords(
  clicks: readonly Click[],
  brokers: readonly BrokerRecord[],
  model: MatchModel,
  opts: MatchOptions = {},
): MatchResult {
  const data = indexRecords(clicks, brokers);
  const factor = model.priorFactor;
  const graph = buildCandidates(data, model, 0, 0, CANDIDATES_PER_RECORD);
  const posterior = pairPosteriors(graph, factor);
  const chosen = assignPairs(graph, factor);

  // A link is published only when it is more likely right than wrong: the assignment may keep
  // a weak pair that competition leaves below even odds, and on labelled data those are wrong
  // about half the time.
  const linked = chosen.filter((e) => posterior[e] >= MIN_PROBABILITY);
  const pairs: MatchedPair[] = linked.map((e) => ({
    clickId: data.clickIds[graph.click[e]],
    brokerId: data.brokerIds[graph.broker[e]],
    lagSeconds: graph.lag[e],
    level: LEVEL_NAMES[graph.level[e]],
    weight: pairWeight(graph, factor, e),
    probability: posterior[e],
    margin: pairMargin(graph, factor, e),
  }));

  const matched = new Uint8Array(data.brokerIds.length);
  for (const e of linked) matched[graph.broker[e]] = 1;
  const weak = new Set(chosen.filter((e) => posterior[e] < MIN_PROBABILITY).map((e) => graph.broker[e]));
  const unmatched: UnmatchedBroker[] = [];
  for (let b = 0; b < matched.length; b++) {
    if (matched[b]) continue;
    const reason = weak.has(b) ? 'below_threshold' : unmatchedReason(data, graph, model, opts.clickPeriod, b);
    unmatched.push({ brokerId: data.brokerIds[b], reason });
  }

  // Only pairs of positive weight can be made, so the shifted runs need no weaker candidates.
  const chance = CHANCE_SHIFTS.map((shift) => assignPairs(buildCandidates(data, model, shift, 1 / factor, CANDIDATES_PER_RECORD), factor).length);

  return {
    pairs,
    unmatched,
    estimatedFalseMatches: pairs.reduce((a, p) => a + (1 - p.probability), 0),
    candidatePairs: graph.broker.length,
    chancePairsAtShift: chance.reduce((a, b) => a + b, 0) / chance.length,
  };
}
