import { pairOdds } from './odds';
import { levelOf, scanWindow, type Indexed } from './records';
import type { MatchModel } from './types';

/**
 * Candidate pairs as a bipartite graph over the canonical order: edges sorted by broker, then
 * click; `clickEdges` lists each click's edges (by broker) between `clickStart[c]` and `clickStart[c + 1]`.
 */
export interface CandidateGraph {
  brokerCount: number;
  clickCount: number;
  broker: Int32Array;
  click: Int32Array;
  lag: Int32Array;
  level: Uint8Array;
  odds: Float64Array;
  brokerStart: Int32Array;
  clickStart: Int32Array;
  clickEdges: Int32Array;
}

/**
 * Blocking on time and country at once: every (record, click) within the model's lag support
 * whose odds exceed `minOdds`, and of those the `perRecord` best of each record. Cells with no
 * true pairs have odds 0, so a country that agrees with neither field only yields candidates
 * where the lag alone is telling. The cap keeps the graph's size linear in the records: where
 * clicks are dense, a record's weakest candidates carry almost no posterior mass, yet they
 * would join everything into one group that belief propagation sweeps to its limit.
 */
export function buildCandidates(data: Indexed, model: MatchModel, offset: number, minOdds: number, perRecord = Infinity): CandidateGraph {
  const broker: number[] = [];
  const click: number[] = [];
  const lag: number[] = [];
  const level: number[] = [];
  const odds: number[] = [];
  // One record's candidates at a time, in reused columns: an object per visited candidate was
  // 4M short-lived objects a day at 100x.
  const pc: number[] = [];
  const pl: number[] = [];
  const plv: number[] = [];
  const po: number[] = [];
  let pendingBroker = -1;
  const flush = () => {
    const keep = (i: number) => {
      broker.push(pendingBroker);
      click.push(pc[i]);
      lag.push(pl[i]);
      level.push(plv[i]);
      odds.push(po[i]);
    };
    if (pc.length <= perRecord) for (let i = 0; i < pc.length; i++) keep(i);
    else {
      pc.map((_, i) => i)
        .sort((x, y) => po[y] - po[x] || Math.abs(pl[x]) - Math.abs(pl[y]) || pc[x] - pc[y])
        .slice(0, perRecord)
        .sort((x, y) => pc[x] - pc[y])
        .forEach(keep);
    }
    pc.length = pl.length = plv.length = po.length = 0;
  };
  const support = model.support;
  if (support) {
    const oddsOf = pairOdds(model, data);
    scanWindow(data, offset, support.from, support.to, (b, c, l) => {
      const lv = levelOf(data, b, c);
      const o = oddsOf(b, lv, l);
      if (o > minOdds) {
        if (b !== pendingBroker) flush();
        pendingBroker = b;
        pc.push(c);
        pl.push(l);
        plv.push(lv);
        po.push(o);
      }
    });
    flush();
  }
  const brokerCount = data.brokerIds.length;
  const clickCount = data.clickIds.length;
  const brokerStart = new Int32Array(brokerCount + 1);
  const clickStart = new Int32Array(clickCount + 1);
  for (let e = 0; e < broker.length; e++) {
    brokerStart[broker[e] + 1]++;
    clickStart[click[e] + 1]++;
  }
  for (let i = 0; i < brokerCount; i++) brokerStart[i + 1] += brokerStart[i];
  for (let i = 0; i < clickCount; i++) clickStart[i + 1] += clickStart[i];
  const clickEdges = new Int32Array(broker.length);
  const fill = clickStart.slice(0, clickCount);
  for (let e = 0; e < broker.length; e++) clickEdges[fill[click[e]]++] = e;
  return {
    brokerCount,
    clickCount,
    broker: Int32Array.from(broker),
    click: Int32Array.from(click),
    lag: Int32Array.from(lag),
    level: Uint8Array.from(level),
    odds: Float64Array.from(odds),
    brokerStart,
    clickStart,
    clickEdges,
  };
}
