import { describe, expect, it } from 'vitest';
import { erfc, holm, normalCdf, twoProportionZTest, wilson } from '../../report/stats';

describe('wilson', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
    [29, 29, 0.883, 1],
  ])('%i of %i -> [%f, %f]', (x, n, lo, hi) => {
    const [a, b] = wilson(x, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });

  it('matches R prop.test(10, 100, correct = FALSE)', () => {
    const [a, b] = wilson(10, 100);
    expect(a).toBeCloseTo(0.05522914, 6);
    expect(b).toBeCloseTo(0.17436566, 6);
  });

  it('is the whole unit interval without data', () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
});

describe('normalCdf', () => {
  // scipy.stats.norm.cdf
  it.each([
    [1.96, 0.9750021048517795],
    [0, 0.5],
    [-3, 0.0013498980316300933],
    [-8, 6.22096057427174e-16],
    [-10, 7.61985302416047e-24],
  ])('Φ(%f) = %e to a relative 1e-6', (z, p) => {
    expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-6);
  });

  it('erfc is symmetric about 1', () => {
    expect(erfc(0.7) + erfc(-0.7)).toBeCloseTo(2, 12);
  });
});

describe('twoProportionZTest', () => {
  it('matches R prop.test(c(40, 20), c(100, 100), correct = FALSE): X-squared 9.5238, p 0.002028', () => {
    const t = twoProportionZTest(40, 100, 20, 100);
    expect(t.z * t.z).toBeCloseTo(9.5238, 4);
    expect(t.pValue).toBeCloseTo(0.002028, 6);
  });

  it('is signed by the first group and gives p = 1 without variance', () => {
    expect(twoProportionZTest(20, 100, 40, 100).z).toBeLessThan(0);
    expect(twoProportionZTest(0, 50, 0, 80)).toEqual({ z: 0, pValue: 1 });
  });
});

describe('holm', () => {
  it('matches R p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm")', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
  });

  it('caps at 1 and handles an empty family', () => {
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
  });
});
