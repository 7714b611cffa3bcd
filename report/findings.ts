import { holm, twoProportionZTest, wilson } from './stats';

/**
 * From click counts per group to ranked findings: pure, so the statistics can be checked on
 * planted effects without a database (test/unit/report-findings.test.ts).
 */

export const DIMENSIONS = ['device', 'page_category', 'page_group', 'ui_element', 'country', 'hour', 'weekday'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const METRICS = ['match_rate', 'score_rate', 'high_score_rate'] as const;
export type Metric = (typeof METRICS)[number];

/** Counts of one group of clicks (or of all of them). */
export interface GroupCounts {
  group: string;
  clicks: number;
  /** Clicks with a broker record. */
  matched: number;
  /** Clicks whose score is known: all but the matched ones whose delivered score was not a number. */
  scoreKnown: number;
  /** important_score > 0: the click produced a valuable user. */
  scored: number;
  /** important_score >= the high-score threshold. */
  highScored: number;
}

export interface Rate {
  successes: number;
  n: number;
  rate: number;
  /** 95% Wilson interval. */
  ci: [number, number];
}

interface MetricDef {
  label: string;
  /** What one success is, in the plural. */
  outcome: string;
  successes(g: GroupCounts): number;
  trials(g: GroupCounts): number;
  /** Said after the action of a group that falls short on this metric. */
  shortfallNote?: string;
}

export const METRIC_DEFS: Record<Metric, MetricDef> = {
  match_rate: {
    label: 'match rate',
    outcome: 'broker sign-ups',
    successes: (g) => g.matched,
    trials: (g) => g.clicks,
    shortfallNote: 'A low match rate can also mean clicks that lose their tracking: check the broker link used by this group.',
  },
  score_rate: { label: 'valuable-user rate', outcome: 'valuable users', successes: (g) => g.scored, trials: (g) => g.scoreKnown },
  high_score_rate: { label: 'high-score rate', outcome: 'high-score users', successes: (g) => g.highScored, trials: (g) => g.scoreKnown },
};

type Direction = 'higher' | 'lower';
type ActionText = (group: string, outcome: string) => string;

interface DimensionDef {
  label: string;
  /** The baseline of a group compared with the rest. */
  rest: string;
  /** Groups shown before the rest are pooled; hours and weekdays are all kept. */
  maxGroups: number;
  /** Display order when the groups have a natural one (hours, weekdays); otherwise by clicks. */
  order?: (a: string, b: string) => number;
  action: Record<Direction, ActionText>;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const pageActions: Record<Direction, ActionText> = {
  higher: (g, o) =>
    `Send more readers to '${g}' pages: link to them from high-traffic pages, prioritise them in SEO and newsletters, and reuse their broker call-to-action layout elsewhere (they yield more ${o}).`,
  lower: (g, o) =>
    `Rework the broker calls-to-action on '${g}' pages: match the brokers offered to these readers' intent and A/B test placement and copy (they yield fewer ${o}).`,
};

/** `at 20:00`, `on Mon`. */
function timeActions(preposition: string): Record<Direction, ActionText> {
  return {
    higher: (g, o) => `Time newsletters, campaigns and paid traffic for ${g}, when clicks yield more ${o}.`,
    lower: (g, o) => `Check for broker-site outages or tracking gaps ${preposition} ${g} (fewer ${o}) before moving spend away from it.`,
  };
}

export const DIMENSION_DEFS: Record<Dimension, DimensionDef> = {
  device: {
    label: 'Device',
    rest: 'the other device',
    maxGroups: 2,
    action: {
      higher: (g, o) => `Favour ${g} traffic in promotion and paid campaigns, and use the ${g} journey as the reference when fixing the other device (${g} yields more ${o}).`,
      lower: (g, o) =>
        `Audit and A/B test the ${g} journey from the call-to-action to the broker's sign-up (landing page, form length, app-store hand-off) with the broker: ${g} clicks yield fewer ${o}.`,
    },
  },
  page_category: { label: 'Page category', rest: 'all other page categories', maxGroups: 15, action: pageActions },
  page_group: { label: 'Page group', rest: 'all other page groups', maxGroups: 12, action: pageActions },
  ui_element: {
    label: 'UI element',
    rest: 'all other UI elements',
    maxGroups: 15,
    action: {
      higher: (g, o) => `Give the UI element '${g}' the prominent slots and roll it out where weaker elements sit (A/B test the swap): it yields more ${o}.`,
      lower: (g, o) =>
        `Redesign or A/B test the UI element '${g}', or replace it with a better-performing one, and check it sets the right expectation about the broker: it yields fewer ${o}.`,
    },
  },
  country: {
    label: 'Country',
    rest: 'all other countries',
    maxGroups: 15,
    action: {
      higher: (g, o) => `Invest in ${g}: localised content and SEO, and country-specific offers negotiated with the broker (more ${o}).`,
      lower: (g, o) =>
        `Check the broker's availability and onboarding for ${g} (accepted residency, language, identity checks) and show brokers that accept ${g} residents first (fewer ${o}).`,
    },
  },
  hour: { label: 'Hour of day (UTC)', rest: 'all other hours', maxGroups: 24, order: (a, b) => a.localeCompare(b), action: timeActions('at') },
  weekday: {
    label: 'Weekday (UTC)',
    rest: 'all other weekdays',
    maxGroups: 7,
    order: (a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b),
    action: timeActions('on'),
  },
};

export interface AnalysisOptions {
  /** Groups with fewer clicks are pooled into 'Other' rather than ranked. */
  minGroupSize: number;
  /** Family-wise error rate per dimension. */
  alpha: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = { minGroupSize: 200, alpha: 0.05 };

/** A z-test needs this many expected successes and failures in each cell to be trusted. */
const MIN_EXPECTED = 5;

export interface GroupStats {
  group: string;
  /** How many small groups this row pools ('Other'); 0 for a group of its own. */
  pooled: number;
  counts: GroupCounts;
  rates: Record<Metric, Rate>;
}

export interface Comparison {
  dimension: Dimension;
  group: string;
  baseline: string;
  metric: Metric;
  rate: Rate;
  baselineRate: Rate;
  pValueUnadjusted: number;
  /** Holm-adjusted over the dimension's comparisons. */
  pValue: number;
  significant: boolean;
}

export interface DimensionAnalysis {
  dimension: Dimension;
  label: string;
  groups: GroupStats[];
  comparisons: Comparison[];
  test: string;
}

/** The `findings` of `journey report --json` (docs/interface.md). */
export interface Finding {
  dimension: Dimension;
  group: string;
  baseline: string;
  metric: Metric;
  direction: Direction;
  rate: number;
  ci: [number, number];
  n: number;
  baselineRate: number;
  baselineCi: [number, number];
  baselineN: number;
  /** rate / baselineRate; null when the baseline rate is 0. */
  ratio: number | null;
  pValue: number;
  pValueUnadjusted: number;
  test: string;
  /** Valuable users (score > 0) the difference moves over the period: n x |rate - baselineRate|, see valueWeight. */
  value: number;
  statement: string;
  action: string;
}

export interface Analysis {
  overall: GroupStats;
  dimensions: DimensionAnalysis[];
  findings: Finding[];
}

function rateOf(successes: number, n: number): Rate {
  return { successes, n, rate: n > 0 ? successes / n : 0, ci: wilson(successes, n) };
}

function statsOf(counts: GroupCounts, pooled = 0): GroupStats {
  const rates = Object.fromEntries(METRICS.map((m) => [m, rateOf(METRIC_DEFS[m].successes(counts), METRIC_DEFS[m].trials(counts))]));
  return { group: counts.group, pooled, counts, rates: rates as Record<Metric, Rate> };
}

const COUNTS = ['clicks', 'matched', 'scoreKnown', 'scored', 'highScored'] as const;

function countsOf(group: string, value: (key: (typeof COUNTS)[number]) => number): GroupCounts {
  return { group, ...Object.fromEntries(COUNTS.map((k) => [k, value(k)])) } as GroupCounts;
}

function sum(group: string, rows: readonly GroupCounts[]): GroupCounts {
  return countsOf(group, (k) => rows.reduce((total, r) => total + r[k], 0));
}

function minus(a: GroupCounts, b: GroupCounts, group: string): GroupCounts {
  return countsOf(group, (k) => a[k] - b[k]);
}

/** The largest groups keep their own row; small ones become one 'Other' row, shown but never ranked. */
function poolSmallGroups(dimension: Dimension, groups: readonly GroupCounts[], opts: AnalysisOptions): GroupStats[] {
  const def = DIMENSION_DEFS[dimension];
  const bySize = [...groups].sort((a, b) => b.clicks - a.clicks || a.group.localeCompare(b.group));
  const kept = bySize.filter((g) => g.clicks >= opts.minGroupSize).slice(0, def.maxGroups);
  const small = bySize.slice(kept.length);
  if (def.order) kept.sort((a, b) => def.order!(a.group, b.group));
  const rows = kept.map((g) => statsOf(g));
  if (small.length > 0) rows.push(statsOf(sum(`Other (${small.length} small group${small.length > 1 ? 's' : ''})`, small), small.length));
  return rows;
}

function expectedCountsSuffice(a: Rate, b: Rate): boolean {
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  return [a.n, b.n].every((n) => n * pooled >= MIN_EXPECTED && n * (1 - pooled) >= MIN_EXPECTED);
}

function compare(dimension: Dimension, metric: Metric, group: GroupCounts, baselineName: string, baseline: GroupCounts): Comparison | null {
  const def = METRIC_DEFS[metric];
  const rate = rateOf(def.successes(group), def.trials(group));
  const baselineRate = rateOf(def.successes(baseline), def.trials(baseline));
  if (!expectedCountsSuffice(rate, baselineRate)) return null;
  const { pValue } = twoProportionZTest(rate.successes, rate.n, baselineRate.successes, baselineRate.n);
  return { dimension, group: group.group, baseline: baselineName, metric, rate, baselineRate, pValueUnadjusted: pValue, pValue, significant: false };
}

/**
 * Every group against the rest of its dimension, per metric. With exactly two groups (device)
 * both comparisons are one test, so it is made once, from the side of the group with the
 * lower rate: that gap is what the product team can close.
 */
function comparisons(dimension: Dimension, rows: readonly GroupStats[], total: GroupCounts, alpha: number): { tested: Comparison[]; test: string } {
  const own = rows.filter((r) => r.pooled === 0);
  const pair = own.length === 2 && rows.length === 2;
  const out: (Comparison | null)[] = [];
  for (const metric of METRICS) {
    if (pair) {
      const [low, high] = [...own].sort((a, b) => a.rates[metric].rate - b.rates[metric].rate);
      out.push(compare(dimension, metric, low.counts, high.group, high.counts));
    } else if (rows.length >= 2) {
      for (const r of own) out.push(compare(dimension, metric, r.counts, DIMENSION_DEFS[dimension].rest, minus(total, r.counts, 'rest')));
    }
  }
  const tested = out.filter((c): c is Comparison => c !== null);
  holm(tested.map((c) => c.pValueUnadjusted)).forEach((p, i) => {
    tested[i].pValue = p;
    tested[i].significant = p < alpha;
  });
  const test =
    `two-proportion z-test (pooled SE, two-sided) ${pair ? 'between the two groups' : 'of each group against the rest of the dimension'}, ` +
    `Holm-adjusted over the ${tested.length} comparison${tested.length === 1 ? '' : 's'} of the dimension`;
  return { tested, test };
}

function pct(r: number): string {
  return `${(r * 100).toFixed(r < 0.1 ? 2 : 1)}%`;
}

export function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/**
 * Findings are ranked by the valuable users they move. A sign-up is worth the share of
 * sign-ups that turn out valuable, so match-rate gaps rank on the same scale as score gaps.
 */
function valueWeight(metric: Metric, overall: GroupCounts): number {
  return metric === 'match_rate' ? (overall.matched > 0 ? overall.scored / overall.matched : 0) : 1;
}

function toFinding(c: Comparison, test: string, overall: GroupCounts): Finding {
  const dim = DIMENSION_DEFS[c.dimension];
  const metric = METRIC_DEFS[c.metric];
  const direction: Direction = c.rate.rate > c.baselineRate.rate ? 'higher' : 'lower';
  const ratio = c.baselineRate.rate > 0 ? c.rate.rate / c.baselineRate.rate : null;
  const action = [dim.action[direction](c.group, metric.outcome), direction === 'lower' ? metric.shortfallNote : undefined].filter(Boolean).join(' ');
  return {
    dimension: c.dimension,
    group: c.group,
    baseline: c.baseline,
    metric: c.metric,
    direction,
    rate: c.rate.rate,
    ci: c.rate.ci,
    n: c.rate.n,
    baselineRate: c.baselineRate.rate,
    baselineCi: c.baselineRate.ci,
    baselineN: c.baselineRate.n,
    ratio,
    pValue: c.pValue,
    pValueUnadjusted: c.pValueUnadjusted,
    test,
    value: c.rate.n * Math.abs(c.rate.rate - c.baselineRate.rate) * valueWeight(c.metric, overall),
    statement:
      `${dim.label} ${c.group}: ${metric.label} ${pct(c.rate.rate)} (95% CI ${pct(c.rate.ci[0])}–${pct(c.rate.ci[1])}, n = ${c.rate.n}) ` +
      `vs ${pct(c.baselineRate.rate)} for ${c.baseline}: ${ratio === null ? 'from zero' : `${ratio.toFixed(2)}×`}, ${direction}; adjusted p = ${formatP(c.pValue)}`,
    action,
  };
}

export interface AnalysisInput {
  overall: GroupCounts;
  dimensions: { dimension: Dimension; groups: GroupCounts[] }[];
}

export function analyse(input: AnalysisInput, opts: AnalysisOptions = DEFAULT_ANALYSIS): Analysis {
  const findings: Finding[] = [];
  const dimensions = input.dimensions.map(({ dimension, groups }): DimensionAnalysis => {
    const rows = poolSmallGroups(dimension, groups, opts);
    const { tested, test } = comparisons(dimension, rows, sum('all', groups), opts.alpha);
    for (const c of tested) if (c.significant) findings.push(toFinding(c, test, input.overall));
    return { dimension, label: DIMENSION_DEFS[dimension].label, groups: rows, comparisons: tested, test };
  });
  findings.sort((a, b) => b.value - a.value || a.pValue - b.pValue);
  return { overall: statsOf(input.overall), dimensions, findings };
}
