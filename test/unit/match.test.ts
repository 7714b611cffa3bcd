import { describe, it, expect } from 'vitest';
import { Random } from '../../synth/random';
import { estimateModel, matchRecords, type BrokerRecord, type Click, type MatchResult } from '../../activities/match/index';
import { buildCandidates } from '../../activities/match/candidates';
import { addStats, lagStats, modelFromStats } from '../../activities/match/model';
import { indexRecords } from '../../activities/match/records';

/** Seeded uniform draws in [0, 1): the generator's own PRNG, so test data is reproducible. */
function random(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = random(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const T0 = 1_714_000_000;
// Click shares roughly as in the real data: a few big countries and a long tail.
const BIG: Array<[string, number]> = [['US', 100], ['GB', 60], ['DE', 56], ['IN', 43], ['NL', 34], ['CA', 31], ['FR', 30], ['ES', 26], ['PL', 26]];
const TAIL = 'AT CH IT SE NO DK FI IE PT GR CZ SK HU RO BG HR SI RS UA TR IL AE SA EG NG KE MA BR MX AR CL CO PE SG MY TH VN PH ID JP KR HK TW NZ MT CY LU EE'.split(' ');
const COUNTRIES = [...BIG.flatMap(([code, weight]) => Array<string>(weight).fill(code)), ...TAIL.flatMap((code) => Array<string>(11).fill(code))];

/**
 * A day shaped like the real data: 9 in 10 clicks lead to a record 0-2 s later (a thin tail to
 * 10 s), 3% of records geolocated to another country, and records that came from elsewhere.
 */
function syntheticDay(seed = 7): { clicks: Click[]; brokers: BrokerRecord[]; truth: Map<string, string> } {
  const r = random(seed);
  const pick = () => COUNTRIES[Math.floor(r() * COUNTRIES.length)];
  const clicks: Click[] = [];
  const brokers: BrokerRecord[] = [];
  const truth = new Map<string, string>();
  for (let i = 0; i < 3000; i++) {
    const t = T0 + Math.floor(r() * 86_400);
    const country = pick();
    clicks.push({ id: `c${i}`, t, country });
    if (r() < 0.9) {
      const u = r();
      const lag = u < 0.45 ? 0 : u < 0.89 ? 1 : u < 0.96 ? 2 : 3 + Math.floor(r() * 8);
      let ip = country;
      if (r() < 0.03) while (ip === country) ip = pick();
      brokers.push({ id: `b${i}`, t: t + lag, ip, residency: r() < 0.1 ? country : null });
      truth.set(`b${i}`, `c${i}`);
    }
  }
  for (let i = 0; i < 60; i++) brokers.push({ id: `o${i}`, t: T0 + Math.floor(r() * 86_400), ip: pick(), residency: null });
  return { clicks, brokers, truth };
}

const day = syntheticDay();
const model = estimateModel(day.clicks, day.brokers);
const LATER = T0 + 200_000;

const click = (id: string, t: number, country: string | null): Click => ({ id, t: LATER + t, country });
const broker = (id: string, t: number, ip: string | null, residency: string | null = null): BrokerRecord => ({ id, t: LATER + t, ip, residency });
const pairsOf = (r: MatchResult) => r.pairs.map((p) => `${p.brokerId}-${p.clickId}`).sort();
const reasonOf = (r: MatchResult, brokerId: string) => r.unmatched.find((u) => u.brokerId === brokerId)?.reason;
const weightOf = (c: Click, b: BrokerRecord) => matchRecords([c], [b], model).pairs[0]?.weight ?? -Infinity;

describe('estimateModel', () => {
  it('finds the lag peak and the share of pairs whose countries disagree', () => {
    expect(model.support?.from).toBeLessThanOrEqual(0);
    expect(model.support?.to).toBeGreaterThanOrEqual(2);
    expect(model.lagShare.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    const total = model.trueCount.ip + model.trueCount.residency + model.trueCount.none;
    expect(total).toBeGreaterThan(0.97 * day.truth.size);
    expect(total).toBeLessThan(1.03 * day.truth.size);
    expect(model.trueCount.none / total).toBeGreaterThan(0.01);
    expect(model.trueCount.none / total).toBeLessThan(0.06);
  });

  it('finds nothing when records are unrelated to clicks', () => {
    const unrelated = day.brokers.map((b) => ({ ...b, t: b.t + 3600 }));
    const noise = estimateModel(day.clicks, unrelated);
    expect(noise.support).toBeNull();
    expect(matchRecords(day.clicks, unrelated, noise).pairs).toHaveLength(0);
  });

  it('is plain JSON: a stored model matches exactly like the original', () => {
    const stored = JSON.parse(JSON.stringify(model));
    expect(stored).toEqual(model);
    expect(matchRecords(day.clicks, day.brokers, stored)).toEqual(matchRecords(day.clicks, day.brokers, model));
  });
});

describe('lagStats', () => {
  it('sums over a partition of time to the stats of the whole, so a week is the sum of its days', () => {
    const cuts = [T0, T0 + 20_000, T0 + 43_200, T0 + 86_400 + 20];
    const parts = cuts.slice(1).map((to, i) => lagStats(day.clicks, day.brokers, { from: cuts[i], to }));
    const sum = parts.reduce(addStats);
    expect(sum).toEqual(lagStats(day.clicks, day.brokers));
    expect(modelFromStats(sum)).toEqual(model);
    expect(parts[1].brokers).toBeGreaterThan(0);
  });
});

describe('buildCandidates', () => {
  it('keeps the strongest candidates of a record when capped, in canonical order', () => {
    const data = indexRecords(day.clicks, day.brokers);
    const all = buildCandidates(data, model, 0, 0);
    const capped = buildCandidates(data, model, 0, 0, 1);
    for (let b = 0; b < capped.brokerCount; b++) {
      const kept = capped.brokerStart[b + 1] - capped.brokerStart[b];
      const had = all.brokerStart[b + 1] - all.brokerStart[b];
      expect(kept).toBe(Math.min(1, had));
      if (kept === 1) {
        let best = -Infinity;
        for (let e = all.brokerStart[b]; e < all.brokerStart[b + 1]; e++) best = Math.max(best, all.odds[e]);
        expect(capped.odds[capped.brokerStart[b]]).toBe(best);
      }
    }
    expect(capped.broker.length).toBeLessThan(all.broker.length);
  });
});

describe('matchRecords on generated data', () => {
  const result = matchRecords(day.clicks, day.brokers, model);

  it('is one-to-one', () => {
    expect(new Set(result.pairs.map((p) => p.clickId)).size).toBe(result.pairs.length);
    expect(new Set(result.pairs.map((p) => p.brokerId)).size).toBe(result.pairs.length);
    expect(result.pairs.length + result.unmatched.length).toBe(day.brokers.length);
  });

  it('recovers the true pairs, and its false-match estimate is close to the real count', () => {
    const correct = result.pairs.filter((p) => day.truth.get(p.brokerId) === p.clickId).length;
    expect(correct / result.pairs.length).toBeGreaterThan(0.995);
    expect(correct / day.truth.size).toBeGreaterThan(0.985);
    const falseMatches = result.pairs.length - correct;
    expect(Math.abs(result.estimatedFalseMatches - falseMatches)).toBeLessThan(3 * Math.sqrt(falseMatches + 1) + 2);
  });

  it('gives the same pairs, probabilities and verdicts whatever the order of rows', () => {
    const clicks = shuffled(day.clicks, 1);
    const brokers = shuffled(day.brokers, 2);
    const again = estimateModel(clicks, brokers);
    expect(again).toEqual(model);
    expect(matchRecords(clicks, brokers, again)).toEqual(result);
  });
});

describe('matchRecords on hand-built cases', () => {
  it('gives a click to one record only', () => {
    const r = matchRecords([click('c', 0, 'DE')], [broker('b1', 1, 'DE'), broker('b2', 2, 'DE')], model);
    expect(pairsOf(r)).toEqual(['b1-c']);
    expect(reasonOf(r, 'b2')).toBe('lost_to_better');
    expect(r.pairs[0].margin).toBeGreaterThan(0);
  });

  it('publishes no coin flip: two records the click fits equally well get neither', () => {
    const r = matchRecords([click('c', 0, 'DE')], [broker('b1', 1, 'DE'), broker('b2', 1, 'DE')], model);
    expect(r.pairs).toHaveLength(0);
    expect(r.unmatched.map((u) => u.reason).sort()).toEqual(['below_threshold', 'lost_to_better']);
  });

  it('chooses the assignment of largest total weight where greedy matching does not', () => {
    // b1 sees c1 at lag 0 and c2 at lag 2; b2 sees c1 at lag 1 and c2 at lag 3. Taking records in
    // order and giving each its best free click (or each click its nearest record) pairs b1-c1
    // and leaves b2 with the weak lag-3 candidate.
    const c1 = click('c1', 101, 'US');
    const c2 = click('c2', 99, 'US');
    const b1 = broker('b1', 101, 'US');
    const b2 = broker('b2', 102, 'US');
    const r = matchRecords([c1, c2], [b1, b2], model);
    expect(pairsOf(r)).toEqual(['b1-c2', 'b2-c1']);
    const optimal = weightOf(c2, b1) + weightOf(c1, b2);
    const greedy = weightOf(c1, b1) + Math.max(0, weightOf(c2, b2));
    expect(optimal).toBeGreaterThan(greedy);
    expect(r.pairs.reduce((a, p) => a + p.weight, 0)).toBeCloseTo(optimal, 9);
  });

  it('breaks ties the same way whatever the input order', () => {
    const clicks = [click('c1', 0, 'GB'), click('c2', 0, 'GB'), click('c3', 5, 'GB')];
    const brokers = [broker('b1', 1, 'GB'), broker('b2', 1, 'GB'), broker('b3', 1, 'GB')];
    const first = matchRecords(clicks, brokers, model);
    for (let seed = 1; seed <= 5; seed++) {
      expect(matchRecords(shuffled(clicks, seed), shuffled(brokers, seed + 10), model)).toEqual(first);
    }
  });

  // The lag in the support where a click of another country is the weakest evidence.
  const weakLag = () => {
    const odds = model.odds.none;
    const k = odds.lastIndexOf(Math.min(...odds));
    expect(Math.log(model.priorFactor * odds[k])).toBeLessThan(0);
    return model.support!.from + k;
  };

  it('explains every record left unmatched', () => {
    const r = matchRecords(
      [click('c1', 0, 'FR'), click('c2', 3000, 'NL')],
      [broker('won', 1, 'FR'), broker('lost', 2, 'FR'), broker('alone', 1500, 'FR'), broker('weak', 3000 + weakLag(), 'DE'), broker('early', -100, 'FR')],
      model,
      { clickPeriod: { from: LATER - 50, to: LATER + 5000 } },
    );
    expect(pairsOf(r)).toEqual(['won-c1']);
    expect(reasonOf(r, 'lost')).toBe('lost_to_better');
    expect(reasonOf(r, 'alone')).toBe('no_candidate');
    expect(reasonOf(r, 'weak')).toBe('below_threshold');
    expect(reasonOf(r, 'early')).toBe('outside_click_period');
  });

  it('pairs disagreeing countries only on strong time evidence, and prefers agreement', () => {
    const strong = matchRecords([click('c', 0, 'FR')], [broker('b', 1, 'DE')], model);
    expect(strong.pairs).toMatchObject([{ level: 'none', lagSeconds: 1 }]);
    expect(strong.pairs[0].probability).toBeGreaterThan(0.5);

    const weak = matchRecords([click('c', 0, 'FR')], [broker('b', weakLag(), 'DE')], model);
    expect(weak.pairs).toHaveLength(0);
    expect(weak.unmatched).toEqual([{ brokerId: 'b', reason: 'below_threshold' }]);

    const both = matchRecords([click('other', 1, 'FR'), click('same', 0, 'DE')], [broker('b', 1, 'DE')], model);
    expect(both.pairs).toMatchObject([{ clickId: 'same', level: 'ip' }]);
    expect(both.pairs[0].margin).toBeGreaterThan(0);
  });

  it('takes the residency when the IP country disagrees', () => {
    const r = matchRecords([click('c', 0, 'NL')], [broker('b', 1, 'DE', 'NL')], model);
    expect(r.pairs).toMatchObject([{ level: 'residency', margin: null }]);
  });

  it('reports chance pairs at a one-hour shift and counts candidates', () => {
    const r = matchRecords([click('c', 0, 'MT'), click('d', 3600, 'MT')], [broker('b', 1, 'MT')], model);
    expect(r.candidatePairs).toBe(1);
    expect(r.chancePairsAtShift).toBe(0.5);
  });
});
