import type { CandidateGraph } from './candidates';

const MAX_SWEEPS = 200;
const TOLERANCE = 1e-12;

/**
 * Posterior probability of every candidate pair under a one-to-one model: a joint assignment
 * has probability proportional to the product of its pairs' factors (factor * odds), and each
 * record and each click is in at most one pair. Sum-product belief propagation gives these
 * marginals exactly on groups without cycles, which nearly all are, and approximates the rest.
 */
export function pairPosteriors(g: CandidateGraph, factor: number): Float64Array {
  const n = g.broker.length;
  const r = g.odds.map((o) => o * factor);
  const fromClick = new Float64Array(n).fill(1);
  const fromBroker = new Float64Array(n);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    for (let b = 0; b < g.brokerCount; b++) {
      let s = 0;
      for (let e = g.brokerStart[b]; e < g.brokerStart[b + 1]; e++) s += r[e] * fromClick[e];
      for (let e = g.brokerStart[b]; e < g.brokerStart[b + 1]; e++) fromBroker[e] = 1 / (1 + s - r[e] * fromClick[e]);
    }
    let change = 0;
    for (let c = 0; c < g.clickCount; c++) {
      let s = 0;
      for (let k = g.clickStart[c]; k < g.clickStart[c + 1]; k++) s += r[g.clickEdges[k]] * fromBroker[g.clickEdges[k]];
      for (let k = g.clickStart[c]; k < g.clickStart[c + 1]; k++) {
        const e = g.clickEdges[k];
        const next = 1 / (1 + s - r[e] * fromBroker[e]);
        change = Math.max(change, Math.abs(next - fromClick[e]));
        fromClick[e] = next;
      }
    }
    if (change < TOLERANCE) break;
  }
  const posterior = new Float64Array(n);
  for (let e = 0; e < n; e++) {
    const q = r[e] * fromBroker[e] * fromClick[e];
    posterior[e] = q / (1 + q);
  }
  return posterior;
}
