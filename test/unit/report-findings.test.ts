import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisInput, type Dimension, type GroupCounts } from '../../report/findings';
import { Random } from '../../synth/random';

/** Planted per-click rates; nested like the real metrics (a high score is a score, a score a match). */
interface Planted {
  match: number;
  score: number;
  high: number;
}

function simulate(rng: Random, group: string, clicks: number, p: Planted): GroupCounts {
  const g: GroupCounts = { group, clicks, matched: 0, scoreKnown: clicks, scored: 0, highScored: 0 };
  for (let i = 0; i < clicks; i++) {
    const u = rng.next();
    if (u < p.match) g.matched++;
    if (u < p.score) g.scored++;
    if (u < p.high) g.highScored++;
  }
  return g;
}

function input(dimension: Dimension, groups: GroupCounts[]): AnalysisInput {
  const overall: GroupCounts = { group: 'all clicks', clicks: 0, matched: 0, scoreKnown: 0, scored: 0, highScored: 0 };
  for (const g of groups) for (const k of ['clicks', 'matched', 'scoreKnown', 'scored', 'highScored'] as const) overall[k] += g[k];
  return { overall, dimensions: [{ dimension, groups }] };
}

const covers = (ci: [number, number], p: number) => ci[0] <= p && p <= ci[1];
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('findings on a planted device effect (desktop reaches a high score twice as often)', () => {
  const desktop = { match: 0.4, score: 0.06, high: 0.04 };
  const mobile = { match: 0.4, score: 0.06, high: 0.02 };
  const runs = SEEDS.map((seed) => {
    const rng = new Random(seed);
    return analyse(input('device', [simulate(rng, 'desktop', 8000, desktop), simulate(rng, 'mobile', 12000, mobile)]));
  });

  it('states it as one significant finding in every run, from the side of the weaker device', () => {
    for (const a of runs) {
      const high = a.findings.filter((f) => f.metric === 'high_score_rate');
      expect(high).toHaveLength(1);
      expect(high[0]).toMatchObject({ dimension: 'device', group: 'mobile', baseline: 'desktop', direction: 'lower' });
      expect(high[0].pValue).toBeLessThan(1e-6);
      expect(high[0].ratio).toBeGreaterThan(0.35);
      expect(high[0].ratio).toBeLessThan(0.65);
      expect(high[0].test).toMatch(/two-proportion z-test.*Holm/);
      expect(high[0].action).toMatch(/mobile/);
    }
  });

  it('gives 95% intervals that cover the planted rates in about 95% of runs', () => {
    const covered = runs.filter((a) => {
      const f = a.findings.find((x) => x.metric === 'high_score_rate')!;
      return covers(f.ci, mobile.high) && covers(f.baselineCi, desktop.high);
    });
    // Both intervals cover in ~90% of runs; 15 of 20 fails by chance with probability < 5%.
    expect(covered.length).toBeGreaterThanOrEqual(15);
  });

  it('finds no difference where none was planted (match and score rates)', () => {
    const spurious = runs.filter((a) => a.findings.some((f) => f.metric !== 'high_score_rate'));
    expect(spurious.length).toBeLessThanOrEqual(3);
  });
});

describe('findings without a planted effect', () => {
  it('reports no device finding, bar the family-wise 5% of runs', () => {
    const same = { match: 0.4, score: 0.06, high: 0.03 };
    const withFinding = SEEDS.filter((seed) => {
      const rng = new Random(seed);
      const a = analyse(input('device', [simulate(rng, 'desktop', 8000, same), simulate(rng, 'mobile', 12000, same)]));
      return a.findings.length > 0;
    });
    expect(withFinding.length).toBeLessThanOrEqual(3);
  });
});

describe('findings in a dimension of many groups', () => {
  const base = { match: 0.4, score: 0.05, high: 0.02 };
  const rng = new Random(7);
  const groups = ['Best brokers - general', 'Country pages', 'Find my broker', 'Education', 'Home page'].map((g) => simulate(rng, g, 3000, base));
  groups.push(simulate(rng, 'Broker reviews - general', 3000, { ...base, score: 0.09 }));
  const a = analyse(input('page_category', groups));

  it('flags the planted group against the rest of the dimension', () => {
    const f = a.findings.find((x) => x.group === 'Broker reviews - general' && x.metric === 'score_rate');
    expect(f).toMatchObject({ direction: 'higher', baseline: 'all other page categories' });
    expect(covers(f!.ci, 0.09)).toBe(true);
    expect(a.findings.filter((x) => x.metric === 'score_rate' && x.direction === 'higher')).toHaveLength(1);
  });

  it('corrects over all comparisons of the dimension', () => {
    const d = a.dimensions[0];
    expect(d.comparisons).toHaveLength(6 * 3);
    for (const c of d.comparisons) expect(c.pValue).toBeGreaterThanOrEqual(c.pValueUnadjusted);
    expect(d.test).toContain('18 comparisons');
  });

  it('ranks findings by group size x difference in rate', () => {
    const values = a.findings.map((f) => f.value);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const f = a.findings.find((x) => x.metric === 'score_rate')!;
    expect(f.value).toBeCloseTo(f.n * Math.abs(f.rate - f.baselineRate), 9);
  });
});

describe('small groups', () => {
  const rng = new Random(3);
  const even = { match: 0.4, score: 0.05, high: 0.02 };

  it('are pooled into Other and never ranked, however extreme', () => {
    const groups = ['a', 'b', 'c'].map((g) => simulate(rng, g, 5000, even));
    groups.push({ group: '<img src=x onerror=alert(1)>', clicks: 60, matched: 60, scoreKnown: 60, scored: 60, highScored: 60 });
    const a = analyse(input('ui_element', groups));
    const rows = a.dimensions[0].groups;
    expect(rows.map((r) => r.group)).toEqual(['a', 'b', 'c', 'Other (1 small group)']);
    expect(rows[3].pooled).toBe(1);
    expect(a.findings.some((f) => f.group.startsWith('Other') || f.group.includes('onerror'))).toBe(false);
  });

  it('beyond the largest of a dimension are pooled too; hours keep their natural order', () => {
    const countries = Array.from({ length: 20 }, (_, i) => simulate(rng, `C${i}`, 1000 + i, even));
    expect(analyse(input('country', countries)).dimensions[0].groups.at(-1)).toMatchObject({ group: 'Other (5 small groups)', pooled: 5 });
    const hours = ['13:00', '02:00', '20:00'].map((h, i) => simulate(rng, h, 3000 - i, even));
    expect(analyse(input('hour', hours)).dimensions[0].groups.map((g) => g.group)).toEqual(['02:00', '13:00', '20:00']);
  });

  it('are not tested when too few events are expected', () => {
    const rare = { match: 0.4, score: 0.05, high: 0.001 };
    const a = analyse(input('page_group', ['x', 'y', 'z'].map((g) => simulate(rng, g, 1000, rare))));
    expect(a.dimensions[0].comparisons.some((c) => c.metric === 'high_score_rate')).toBe(false);
    expect(a.dimensions[0].comparisons.filter((c) => c.metric === 'match_rate')).toHaveLength(3);
  });

  it('leave nothing to compare in a dimension of one group', () => {
    const a = analyse(input('country', [simulate(rng, 'US', 5000, even)]));
    expect(a.dimensions[0].comparisons).toEqual([]);
  });
});

describe('actions', () => {
  it('name the group, suggest by direction, and warn about tracking on a low match rate', () => {
    const rng = new Random(11);
    const a = analyse(
      input('country', [
        simulate(rng, 'DE', 5000, { match: 0.5, score: 0.05, high: 0.02 }),
        simulate(rng, 'US', 5000, { match: 0.3, score: 0.05, high: 0.02 }),
        simulate(rng, 'GB', 5000, { match: 0.4, score: 0.05, high: 0.02 }),
      ]),
    );
    const low = a.findings.find((f) => f.group === 'US' && f.metric === 'match_rate')!;
    expect(low.direction).toBe('lower');
    expect(low.action).toMatch(/US/);
    expect(low.action).toMatch(/tracking/);
    const high = a.findings.find((f) => f.group === 'DE' && f.metric === 'match_rate')!;
    expect(high.action).toMatch(/Invest in DE/);
    expect(high.statement).toMatch(/^Country DE: match rate .* vs .* for all other countries/);
  });
});
