import { describe, it, expect } from 'vitest';
import { Random } from '../../synth/random';
import { assignPairs, pairWeight } from '../../activities/match/assign';
import type { CandidateGraph } from '../../activities/match/candidates';
import { pairPosteriors } from '../../activities/match/probability';
import { fitExcess, nonIncreasingFit } from '../../activities/match/stats';

/** Seeded uniform draws in [0, 1): the generator's own PRNG, so test data is reproducible. */
function random(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

/** A candidate graph from (broker, click, odds) triples, laid out as buildCandidates does. */
function graph(brokerCount: number, clickCount: number, edges: Array<[number, number, number]>): CandidateGraph {
  const sorted = [...edges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const brokerStart = new Int32Array(brokerCount + 1);
  const clickStart = new Int32Array(clickCount + 1);
  for (const [b, c] of sorted) {
    brokerStart[b + 1]++;
    clickStart[c + 1]++;
  }
  for (let i = 0; i < brokerCount; i++) brokerStart[i + 1] += brokerStart[i];
  for (let i = 0; i < clickCount; i++) clickStart[i + 1] += clickStart[i];
  const fill = clickStart.slice(0, clickCount);
  const clickEdges = new Int32Array(sorted.length);
  sorted.forEach(([, c], e) => (clickEdges[fill[c]++] = e));
  return {
    brokerCount,
    clickCount,
    broker: Int32Array.from(sorted, (e) => e[0]),
    click: Int32Array.from(sorted, (e) => e[1]),
    lag: new Int32Array(sorted.length),
    level: new Uint8Array(sorted.length),
    odds: Float64Array.from(sorted, (e) => e[2]),
    brokerStart,
    clickStart,
    clickEdges,
  };
}

/** Every one-to-one subset of the edges, as lists of edge indices. */
function matchings(g: CandidateGraph): number[][] {
  const out: number[][] = [];
  const walk = (e: number, chosen: number[], brokers: Set<number>, clicks: Set<number>) => {
    if (e === g.broker.length) {
      out.push([...chosen]);
      return;
    }
    walk(e + 1, chosen, brokers, clicks);
    if (brokers.has(g.broker[e]) || clicks.has(g.click[e])) return;
    brokers.add(g.broker[e]);
    clicks.add(g.click[e]);
    walk(e + 1, [...chosen, e], brokers, clicks);
    brokers.delete(g.broker[e]);
    clicks.delete(g.click[e]);
  };
  walk(0, [], new Set(), new Set());
  return out;
}

function randomGraph(r: () => number, brokers: number, clicks: number, density: number): CandidateGraph {
  const edges: Array<[number, number, number]> = [];
  for (let b = 0; b < brokers; b++) for (let c = 0; c < clicks; c++) if (r() < density) edges.push([b, c, Math.exp(r() * 8 - 3)]);
  return graph(brokers, clicks, edges);
}

describe('assignPairs', () => {
  it('finds the one-to-one assignment of largest total positive weight', () => {
    const r = random(3);
    for (let trial = 0; trial < 200; trial++) {
      const g = randomGraph(r, 1 + Math.floor(r() * 5), 1 + Math.floor(r() * 5), 0.5);
      const total = (edges: number[]) => edges.reduce((a, e) => a + pairWeight(g, 1, e), 0);
      const best = Math.max(...matchings(g).map(total));
      const chosen = assignPairs(g, 1);
      expect(chosen.every((e) => pairWeight(g, 1, e) > 0)).toBe(true);
      expect(total(chosen)).toBeCloseTo(best, 6);
    }
  });

  it('resolves a group too large to solve exactly greedily, still one-to-one', () => {
    // A chain b0-c0-b1-c1-...: each record's own click is slightly better than its neighbour's.
    const n = 300;
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i < n; i++) {
      edges.push([i, i, 3]);
      if (i + 1 < n) edges.push([i + 1, i, 2]);
    }
    const g = graph(n, n, edges);
    const chosen = assignPairs(g, 1);
    expect(chosen).toHaveLength(n);
    expect(chosen.every((e) => g.broker[e] === g.click[e])).toBe(true);
  });
});

describe('pairPosteriors', () => {
  it('equals the exact marginals of the one-to-one posterior on forests', () => {
    // b0 - c0 - b1 - c1 - b2, plus b0 - c2: a tree with competition on both sides.
    const g = graph(3, 3, [
      [0, 0, 5],
      [1, 0, 2],
      [1, 1, 0.7],
      [2, 1, 9],
      [0, 2, 0.3],
    ]);
    const all = matchings(g);
    const z = all.reduce((a, m) => a + m.reduce((p, e) => p * g.odds[e], 1), 0);
    const exact = g.odds.map((_, e) => all.filter((m) => m.includes(e)).reduce((a, m) => a + m.reduce((p, k) => p * g.odds[k], 1), 0) / z);
    const bp = pairPosteriors(g, 1);
    exact.forEach((p, e) => expect(bp[e]).toBeCloseTo(p, 10));
  });

  it('keeps each record and click at most one pair in expectation on loopy groups', () => {
    const r = random(11);
    const g = randomGraph(r, 6, 6, 0.6);
    const posterior = pairPosteriors(g, 1);
    for (let b = 0; b < g.brokerCount; b++) {
      let sum = 0;
      for (let e = g.brokerStart[b]; e < g.brokerStart[b + 1]; e++) sum += posterior[e];
      expect(sum).toBeLessThanOrEqual(1 + 1e-9);
    }
  });
});

describe('stats', () => {
  it('pools adjacent values that break a non-increasing order', () => {
    expect(nonIncreasingFit([5, 3, 4, 1])).toEqual([
      { start: 0, end: 0, mean: 5 },
      { start: 1, end: 2, mean: 3.5 },
      { start: 3, end: 3, mean: 1 },
    ]);
  });

  it('sizes an excess over chance and tells it from noise', () => {
    const shape = [0.5, 0.4, 0.1];
    const chance = [20, 20, 20];
    const clear = fitExcess([520, 420, 120], chance, shape);
    expect(clear.total).toBeCloseTo(1000, 6);
    expect(clear.z).toBeGreaterThan(20);
    expect(fitExcess([18, 23, 19], chance, shape).z).toBeLessThan(2);
    expect(fitExcess([10, 12, 15], chance, shape)).toEqual({ total: 0, z: 0 });
  });
});
