/** The statistics of the report: pure functions, checked against published values in test/unit/report-stats.test.ts. */

/** z of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Complementary error function (Numerical Recipes' erfcc, Chebyshev fit): fractional error
 * below 1.2e-7 over the whole line, so tiny p-values keep their order of magnitude instead of
 * collapsing to 0 as 1 - erf(x) would.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Wilson score interval of a proportion: unlike the normal ("Wald") interval it stays inside
 * [0, 1] and keeps its coverage for rare events such as a 1% high-score rate.
 */
export function wilson(successes: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = ((z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface ZTest {
  z: number;
  /** Two-sided. */
  pValue: number;
}

/** Two-proportion z-test with the pooled standard error (H0: both groups share one rate). */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): ZTest {
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

/**
 * Holm's step-down adjustment: controls the chance of any false finding among the family of
 * comparisons, without Bonferroni's loss of power. Returns adjusted p-values in input order.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
