export interface Click {
  id: string;
  /** Epoch seconds, UTC. */
  t: number;
  /** ISO 3166-1 alpha-2. */
  country: string | null;
}

export interface BrokerRecord {
  id: string;
  t: number;
  ip: string | null;
  residency: string | null;
}

/** Which of the broker record's country fields equals the click's country. */
export type CountryLevel = 'ip' | 'residency' | 'none';

/** One array per country level. */
export type LevelTable = Record<CountryLevel, number[]>;
export type LevelValues = Record<CountryLevel, number>;

/**
 * Everything `matchRecords` needs, estimated from one set of clicks and broker records.
 * Plain JSON (finite numbers only) so it can be stored beside the run it was used for.
 */
export interface MatchModel {
  method: 'fellegi-sunter/lag-country';
  version: 1;
  estimatedOn: {
    clicks: number;
    brokers: number;
    clickSpan: { from: number; to: number } | null;
    brokerSpan: { from: number; to: number } | null;
  };
  /** Candidates were counted for lags (broker time minus click time) in [-lagWindow, lagWindow]. */
  lagWindow: number;
  /** Negative lags down to -clockSkew may hold true pairs; beyond it the histogram is all chance. */
  clockSkew: number;
  /** Candidate counts per lag second, index = lag + lagWindow. */
  observed: LevelTable;
  /** Chance candidates per lag second with broker times moved hours away (a floor for `background`). */
  shiftBackground: LevelValues;
  shiftOffsets: number[];
  /** Chance candidates per lag second at distance |lag| = index (the u side, as a rate). */
  background: LevelTable;
  /** Lags where true pairs were found; null when the data show no excess over chance. */
  support: { from: number; to: number } | null;
  /** Share of true pairs per lag second over `support` (the m side of the lag). */
  lagShare: number[];
  /** Estimated true pairs per level within `support` (the m side of the country level). */
  trueCount: LevelValues;
  /** True candidates per lag second over `support`: trueCount times lagShare. */
  trueRate: LevelTable;
  /** Clicks per country in the estimation data, for the term-frequency adjustment of chance. */
  clickCountries: Record<string, number>;
  /** Mean click share of the country each record offers at a level (0 where it offers none). */
  meanShare: { ip: number; residency: number };
  /** True over chance candidates per cell over `support`, for a record of average country. */
  odds: LevelTable;
  /**
   * Turns odds into the pair factors of the one-to-one posterior: 1 / ((1 - pr) (1 - pc)),
   * pr and pc the shares of records and of clicks with a true pair. Chance candidates mostly
   * join a record or click that has its own true partner, so a lone candidate is worth far
   * more than the average candidate of its cell.
   */
  priorFactor: number;
}

export interface MatchedPair {
  clickId: string;
  brokerId: string;
  lagSeconds: number;
  level: CountryLevel;
  /** Natural log of the pair factor; only pairs with weight > 0 are made. */
  weight: number;
  /** Posterior probability that this click and this record belong together. */
  probability: number;
  /** Weight minus the best alternative's on either side; null when uncontested. */
  margin: number | null;
}

export type UnmatchedReason = 'no_candidate' | 'lost_to_better' | 'below_threshold' | 'outside_click_period';

export interface UnmatchedBroker {
  brokerId: string;
  reason: UnmatchedReason;
}

export interface MatchResult {
  pairs: MatchedPair[];
  unmatched: UnmatchedBroker[];
  /** Sum over pairs of (1 - probability). */
  estimatedFalseMatches: number;
  candidatePairs: number;
  /**
   * Pairs the same model makes with broker times shifted by +1 h and -1 h, averaged. There
   * every record and click is free, which on real data few are: divided by the model's
   * `priorFactor` it is a second, independent estimate of the false matches.
   */
  chancePairsAtShift: number;
}

export interface MatchOptions {
  /**
   * Span of all click data; records whose lag window reaches outside it may have lost their
   * click. Without it the clicks given are taken as complete.
   */
  clickPeriod?: { from: number; to: number };
}
