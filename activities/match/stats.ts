export interface Block {
  /** Inclusive index range into the fitted sequence. */
  start: number;
  end: number;
  mean: number;
}

/**
 * Least-squares non-increasing fit (pool adjacent violators). Adjacent values that break the
 * order are pooled into one block, so sparse stretches get their width from the data instead
 * of from fixed bin edges.
 */
export function nonIncreasingFit(values: readonly number[]): Block[] {
  const blocks: Array<Block & { sum: number }> = [];
  values.forEach((v, i) => {
    let block = { start: i, end: i, mean: v, sum: v };
    while (blocks.length > 0 && blocks[blocks.length - 1].mean <= block.mean) {
      const prev = blocks.pop()!;
      const sum = prev.sum + block.sum;
      block = { start: prev.start, end: block.end, sum, mean: sum / (block.end - prev.start + 1) };
    }
    blocks.push(block);
  });
  return blocks.map(({ start, end, mean }) => ({ start, end, mean }));
}

export function expandBlocks(blocks: readonly Block[]): number[] {
  const out: number[] = [];
  for (const b of blocks) for (let i = b.start; i <= b.end; i++) out.push(b.mean);
  return out;
}

export interface ExcessFit {
  /** Maximum-likelihood number of true pairs (>= 0). */
  total: number;
  /** Signed root of the likelihood ratio against "all chance": a z-score, 0 when there is no excess. */
  z: number;
}

/**
 * Counts per cell modelled as Poisson(chance + total * shape), shape summing to 1. The maximum
 * likelihood total and its likelihood-ratio z-score weight each cell by how much signal it
 * can carry, so a few cells with a sharp peak are not drowned by many cells of chance.
 */
export function fitExcess(counts: readonly number[], chance: readonly number[], shape: readonly number[]): ExcessFit {
  const slope = (total: number): number => {
    let s = -1;
    for (let i = 0; i < counts.length; i++) if (shape[i] > 0) s += (counts[i] * shape[i]) / (chance[i] + total * shape[i]);
    return s;
  };
  const logLik = (total: number): number => {
    let l = 0;
    for (let i = 0; i < counts.length; i++) {
      const mean = chance[i] + total * shape[i];
      if (mean > 0) l += counts[i] * Math.log(mean) - mean;
    }
    return l;
  };
  if (slope(0) <= 0) return { total: 0, z: 0 };
  // The log-likelihood is concave in total and falling beyond the sum of all counts.
  let lo = 0;
  let hi = counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (slope(mid) > 0) lo = mid;
    else hi = mid;
  }
  const total = (lo + hi) / 2;
  return { total, z: Math.sqrt(Math.max(0, 2 * (logLik(total) - logLik(0)))) };
}
