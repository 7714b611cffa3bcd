import type { CandidateGraph } from './candidates';

/**
 * Union-find over the graph's nodes (record b is node b, click c is node brokerCount + c)
 * joined by the given edges (all edges when omitted). Returns each node's group root.
 */
export function groupRoots(g: CandidateGraph, edges?: readonly number[]): (node: number) => number {
  const parent = Int32Array.from({ length: g.brokerCount + g.clickCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const join = (e: number) => {
    const a = find(g.broker[e]);
    const b = find(g.brokerCount + g.click[e]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  };
  if (edges) edges.forEach(join);
  else for (let e = 0; e < g.broker.length; e++) join(e);
  return find;
}
