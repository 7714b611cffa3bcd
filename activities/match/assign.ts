import type { CandidateGraph } from './candidates';

/**
 * Largest group (records plus clicks) solved exactly; cubic time keeps this well under a
 * second. Groups have a handful of members (at most ~100 edges at ten times the sample's
 * density); a larger one is resolved greedily rather than stall a run.
 */
const EXACT_GROUP_LIMIT = 400;

/**
 * Breaks exact ties in favour of the smaller |lag|: far below any real difference in weight,
 * far above rounding error.
 */
const LAG_TIE_BREAK = 1e-9;

export function pairWeight(g: CandidateGraph, factor: number, e: number): number {
  return Math.log(factor * g.odds[e]);
}

/**
 * Union-find over the graph's nodes (record b is node b, click c is node brokerCount + c)
 * joined by `edges`. Returns each node's group root.
 */
function groupRoots(g: CandidateGraph, edges: readonly number[]): (node: number) => number {
  const parent = Int32Array.from({ length: g.brokerCount + g.clickCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (const e of edges) {
    const a = find(g.broker[e]);
    const b = find(g.brokerCount + g.click[e]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  return find;
}

/**
 * The one-to-one assignment with the largest total weight, over pairs of positive weight,
 * solved separately in each connected group of competing candidates. Groups, and the records
 * and clicks in them, are taken in canonical order, so equal input gives equal pairs.
 * Returns the chosen edges in ascending order.
 */
export function assignPairs(g: CandidateGraph, factor: number): number[] {
  const positive: number[] = [];
  for (let e = 0; e < g.broker.length; e++) if (pairWeight(g, factor, e) > 0) positive.push(e);
  const root = groupRoots(g, positive);
  // Each group's edges, ascending, laid end to end by a counting sort on the group's root (a
  // record's node): a Map of arrays was an allocation per group, 300k groups a 10x match.
  const roots = new Int32Array(positive.length);
  const start = new Int32Array(g.brokerCount + 1);
  for (let k = 0; k < positive.length; k++) start[(roots[k] = root(g.broker[positive[k]])) + 1]++;
  for (let b = 0; b < g.brokerCount; b++) start[b + 1] += start[b];
  const grouped = new Int32Array(positive.length);
  const fill = start.slice(0, g.brokerCount);
  for (let k = 0; k < positive.length; k++) grouped[fill[roots[k]]++] = positive[k];
  const chosen: number[] = [];
  for (let b = 0; b < g.brokerCount; b++) {
    if (start[b + 1] - start[b] === 1) chosen.push(grouped[start[b]]);
    else if (start[b + 1] - start[b] > 1) {
      const edges: number[] = [];
      for (let k = start[b]; k < start[b + 1]; k++) edges.push(grouped[k]);
      for (const e of solveGroup(g, factor, edges)) chosen.push(e);
    }
  }
  return chosen.sort((a, b) => a - b);
}

/** The distinct values, ascending. */
function distinctSorted(values: number[]): number[] {
  values.sort((a, b) => a - b);
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/** Where `x` is in the ascending `sorted`. */
function indexOf(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function solveGroup(g: CandidateGraph, factor: number, edges: number[]): number[] {
  const score = edges.map((e) => pairWeight(g, factor, e) - LAG_TIE_BREAK * Math.abs(g.lag[e]));
  const brokers = distinctSorted(edges.map((e) => g.broker[e]));
  const clicks = distinctSorted(edges.map((e) => g.click[e]));
  if (brokers.length + clicks.length > EXACT_GROUP_LIMIT) return greedy(g, edges, score);
  return hungarian(g, edges, score, brokers, clicks);
}

/** Highest score first; equal scores in canonical edge order. */
function greedy(g: CandidateGraph, edges: number[], score: number[]): number[] {
  const order = edges.map((_, i) => i).sort((a, b) => score[b] - score[a] || edges[a] - edges[b]);
  const usedBroker = new Set<number>();
  const usedClick = new Set<number>();
  const out: number[] = [];
  for (const i of order) {
    const e = edges[i];
    if (usedBroker.has(g.broker[e]) || usedClick.has(g.click[e])) continue;
    usedBroker.add(g.broker[e]);
    usedClick.add(g.click[e]);
    out.push(e);
  }
  return out;
}

/**
 * Minimum-cost assignment (Hungarian method, shortest augmenting paths with potentials) of
 * every record to a click or to its own "unmatched" column at cost 0; a pair costs minus its
 * score. Absent pairs cost more than any assignment could gain.
 */
function hungarian(g: CandidateGraph, edges: number[], score: number[], brokers: number[], clicks: number[]): number[] {
  const n = brokers.length;
  const m = clicks.length + n;
  const forbidden = 1 + score.reduce((a, s) => a + Math.abs(s), 0) * 2;
  const { cost, edgeAt, u, v, p, way, minv, used } = scratch.reserve((n + 1) * (m + 1), m + 1);
  cost.fill(forbidden, 0, (n + 1) * (m + 1));
  edgeAt.fill(-1, 0, (n + 1) * (m + 1));
  edges.forEach((e, k) => {
    const at = (indexOf(brokers, g.broker[e]) + 1) * (m + 1) + indexOf(clicks, g.click[e]) + 1;
    cost[at] = -score[k];
    edgeAt[at] = e;
  });
  for (let i = 1; i <= n; i++) cost[i * (m + 1) + clicks.length + i] = 0;

  u.fill(0, 0, n + 1);
  v.fill(0, 0, m + 1);
  p.fill(0, 0, m + 1);
  way.fill(0, 0, m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity, 0, m + 1);
    used.fill(0, 0, m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[i0 * (m + 1) + j] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  const out: number[] = [];
  for (let j = 1; j <= clicks.length; j++) {
    if (p[j] !== 0) {
      const e = edgeAt[p[j] * (m + 1) + j];
      if (e >= 0) out.push(e);
    }
  }
  return out;
}

/**
 * The arrays `hungarian` works in, kept between groups and grown as needed: eight typed arrays
 * per group, and two more per record, were most of the assignment's time at 10x (300k groups
 * of a handful of members).
 */
const scratch = {
  cost: new Float64Array(0),
  edgeAt: new Int32Array(0),
  u: new Float64Array(0),
  v: new Float64Array(0),
  p: new Int32Array(0),
  way: new Int32Array(0),
  minv: new Float64Array(0),
  used: new Uint8Array(0),
  /** The arrays, with room for `cells` cells of the cost matrix and `columns` of its columns (or rows). */
  reserve(cells: number, columns: number) {
    if (this.cost.length < cells) {
      this.cost = new Float64Array(cells * 2);
      this.edgeAt = new Int32Array(cells * 2);
    }
    if (this.v.length < columns) {
      this.u = new Float64Array(columns * 2);
      this.v = new Float64Array(columns * 2);
      this.p = new Int32Array(columns * 2);
      this.way = new Int32Array(columns * 2);
      this.minv = new Float64Array(columns * 2);
      this.used = new Uint8Array(columns * 2);
    }
    return this;
  },
};
