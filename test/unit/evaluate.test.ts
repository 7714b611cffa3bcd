import { describe, expect, it } from 'vitest';
import { evaluatePairs } from '../../evaluate/metrics';

describe('evaluatePairs', () => {
  it('computes precision, recall and F1', () => {
    const e = evaluatePairs(
      [
        { key: 'a', probability: 1 },
        { key: 'b', probability: 0.9 },
        { key: 'x', probability: 0.6 },
      ],
      new Set(['a', 'b', 'c', 'd']),
    );
    expect(e).toMatchObject({ predicted: 3, truePairs: 4, truePositives: 2 });
    expect(e.precision).toBeCloseTo(2 / 3, 12);
    expect(e.recall).toBeCloseTo(0.5, 12);
    expect(e.f1).toBeCloseTo((2 * (2 / 3) * 0.5) / (2 / 3 + 0.5), 12);
  });

  it('bins probabilities and measures calibration error', () => {
    const predicted = [
      ...Array.from({ length: 8 }, (_, i) => ({ key: `t${i}`, probability: 0.85 })),
      ...Array.from({ length: 2 }, (_, i) => ({ key: `f${i}`, probability: 0.85 })),
      { key: 't8', probability: 1 },
    ];
    const e = evaluatePairs(predicted, new Set(Array.from({ length: 9 }, (_, i) => `t${i}`)));
    expect(e.calibration.map((b) => [b.from, b.to, b.pairs])).toEqual([
      [0.8, 0.9, 10],
      [0.999, 1, 1],
    ]);
    expect(e.calibration[0].meanProbability).toBeCloseTo(0.85, 12);
    expect(e.calibration[0].observedPrecision).toBeCloseTo(0.8, 12);
    expect(e.calibration[1]).toMatchObject({ meanProbability: 1, observedPrecision: 1 });
    expect(e.meanCalibrationError).toBeCloseTo((10 * 0.05) / 11, 12);
  });

  it('is all zero on nothing', () => {
    expect(evaluatePairs([], new Set())).toMatchObject({ precision: 0, recall: 0, f1: 0, meanCalibrationError: 0, calibration: [] });
  });
});
