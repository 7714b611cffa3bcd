import { describe, it, expect } from 'vitest';
import { estimateModel, matchRecords } from '../../activities/match/index';
import { loadSampleMatchInput } from '../fixtures/sample';

describe('matching the bundled BrokerChooser sample', () => {
  const { clicks, brokers } = loadSampleMatchInput();
  const model = estimateModel(clicks, brokers);
  const result = matchRecords(clicks, brokers, model);
  const firstClick = Math.min(...clicks.map((c) => c.t));

  it('reads the sample', () => {
    expect(clicks).toHaveLength(58_163);
    expect(brokers).toHaveLength(21_428);
  });

  it('matches at least 95.5% of the broker records, one-to-one', () => {
    const reachable = brokers.filter((b) => b.t >= firstClick).length;
    expect(result.pairs.length / reachable).toBeGreaterThanOrEqual(0.955);
    expect(new Set(result.pairs.map((p) => p.clickId)).size).toBe(result.pairs.length);
    expect(new Set(result.pairs.map((p) => p.brokerId)).size).toBe(result.pairs.length);
  });

  it('keeps 99% of pairs within 5 s', () => {
    const near = result.pairs.filter((p) => Math.abs(p.lagSeconds) <= 5).length;
    expect(near / result.pairs.length).toBeGreaterThanOrEqual(0.99);
  });

  it('estimates at most 1% of its pairs to be false', () => {
    expect(result.estimatedFalseMatches / result.pairs.length).toBeLessThanOrEqual(0.01);
    // Shifted runs pair records and clicks that are all free; scaled to the share that really is,
    // they give an independent estimate of the same order or lower.
    expect(result.chancePairsAtShift / model.priorFactor).toBeLessThanOrEqual(0.01 * result.pairs.length);
  });

  it('links almost nothing when broker times are shifted by one hour', () => {
    const shifted = brokers.map((b) => ({ ...b, t: b.t + 3600 }));
    const chance = matchRecords(clicks, shifted, estimateModel(clicks, shifted));
    expect(chance.pairs.length).toBeLessThan(0.01 * result.pairs.length);
  });
});
