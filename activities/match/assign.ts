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
  const groups = new Map<number, number[]>();
  for (const e of positive) {
    const groupRoot = root(g.broker[e]);
    const group = groups.get(groupRoot);
    if (group) group.push(e);
    else groups.set(groupRoot, [e]);
  }
  const chosen: number[] = [];
  for (const edges of groups.values()) {
    if (edges.length === 1) chosen.push(edges[0]);
    else chosen.push(...solveGroup(g, factor, edges));
  }
  return chosen.sort((a, b) => a - b);
}

function solveGroup(g: CandidateGraph, factor: number, edges: number[]): number[] {
  const score = edges.map((e) => pairWeight(g, factor, e) - LAG_TIE_BREAK * Math.abs(g.lag[e]));
  const brokers = [...new Set(edges.map((e) => g.broker[e]))].sort((a, b) => a - b);
  const clicks = [...new Set(edges.map((e) => g.click[e]))].sort((a, b) => a - b);
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
  const row = new Map(brokers.map((b, i) => [b, i + 1]));
  const col = new Map(clicks.map((c, j) => [c, j + 1]));
  const forbidden = 1 + score.reduce((a, s) => a + Math.abs(s), 0) * 2;
  const cost = new Float64Array((n + 1) * (m + 1)).fill(forbidden);
  const edgeAt = new Int32Array((n + 1) * (m + 1)).fill(-1);
  edges.forEach((e, k) => {
    const at = row.get(g.broker[e])! * (m + 1) + col.get(g.click[e])!;
    cost[at] = -score[k];
    edgeAt[at] = e;
  });
  for (let i = 1; i <= n; i++) cost[i * (m + 1) + clicks.length + i] = 0;

  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
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
