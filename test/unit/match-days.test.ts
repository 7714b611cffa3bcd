import { describe, expect, it } from 'vitest';
import { around, cluster, DAY, CONTEXT_SECONDS, matchPlan, MODEL_HALF_WINDOW_DAYS, publishLocks, spans, within } from '../../activities/match/days';
import { addStats, CLICK_REACH, lagStats, modelFromStats, RECORD_REACH, type LagStats } from '../../activities/match/model';
import type { BrokerRecord, Click } from '../../activities/match/types';
import { Random } from '../../synth/random';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

describe('the days a change reaches', () => {
  it('recounts, re-matches and locks exactly the days that read the changed day', () => {
    const changed = 100;
    const day: [number, number] = [changed * DAY, (changed + 1) * DAY];
    const plan = matchPlan([changed]);
    // A day's counts read clicks CLICK_REACH and records RECORD_REACH beyond its edges.
    const recount = range(80, 120).filter((d) => overlaps([d * DAY - CLICK_REACH, (d + 1) * DAY + CLICK_REACH], day)
      || overlaps([d * DAY - RECORD_REACH, (d + 1) * DAY + RECORD_REACH], day));
    expect(plan.stats).toEqual(recount);
    // A day's model sums the counts of the week around it; its candidates lie CONTEXT_SECONDS beyond it.
    const rematch = range(80, 120).filter((d) => recount.some((s) => Math.abs(s - d) <= MODEL_HALF_WINDOW_DAYS)
      || overlaps([d * DAY - CONTEXT_SECONDS, (d + 1) * DAY + CONTEXT_SECONDS], day));
    expect(plan.matched).toEqual(rematch);
    expect(plan.counted).toEqual(range(changed - 7, changed + 7));
    expect(plan.locked).toEqual(range(changed - 5, changed + 5));
    expect(publishLocks([changed])).toEqual(range(changed - 1, changed + 1));
  });

  it('plans several changed days as the union of their plans', () => {
    const plan = matchPlan([10, 30]);
    expect(plan.matched).toEqual([...range(6, 14), ...range(26, 34)]);
    expect(matchPlan([10, 11]).stats).toEqual(range(9, 12));
  });

  it('cuts days into runs of consecutive days', () => {
    expect(spans([3, 1, 2, 7, 2])).toEqual([
      { from: 1 * DAY, to: 4 * DAY },
      { from: 7 * DAY, to: 8 * DAY },
    ]);
    expect(around([5], 0)).toEqual([5]);
  });
});

describe('which marks a step takes', () => {
  const locks = (days: readonly number[]) => matchPlan(days).locked;

  it('takes the marks whose locks overlap its own, transitively, and leaves distant ones', () => {
    expect(cluster([10], [10, 12, 30], locks)).toEqual([10, 12]);
    expect(cluster([10], [10, 20, 30, 50], locks)).toEqual([10, 20, 30]);
    expect(cluster([50], [10, 20, 50], locks)).toEqual([50]);
  });

  it('handles only marks whose every lock it holds', () => {
    expect(within([10, 12, 10], range(5, 15), locks)).toEqual([10]);
    expect(within([10, 12], range(5, 17), locks)).toEqual([10, 12]);
    expect(within([40], range(5, 17), locks)).toEqual([]);
  });
});

describe('the cache of day counts', () => {
  function day(seed: number, start: number): { clicks: Click[]; brokers: BrokerRecord[] } {
    const r = new Random(seed);
    const countries = ['US', 'GB', 'DE', 'IN', 'NL', 'CA'];
    const pick = () => countries[Math.floor(r.next() * countries.length)];
    const clicks: Click[] = [];
    const brokers: BrokerRecord[] = [];
    for (let i = 0; i < 600; i++) {
      const t = start + r.next() * DAY;
      const country = pick();
      clicks.push({ id: `c${seed}-${i}`, t, country });
      if (r.next() < 0.8) brokers.push({ id: `b${seed}-${i}`, t: t + 2 + Math.floor(r.next() * 20), ip: r.next() < 0.7 ? country : pick(), residency: pick() });
    }
    for (let i = 0; i < 100; i++) brokers.push({ id: `n${seed}-${i}`, t: start + r.next() * DAY, ip: pick(), residency: pick() });
    const byTime = <T extends { t: number }>(a: T, b: T) => a.t - b.t;
    return { clicks: clicks.sort(byTime), brokers: brokers.sort(byTime) };
  }

  it('gives the same model from counts stored as json and read back as from counts just made', () => {
    const days = range(0, 6).map((d) => day(d + 1, d * DAY));
    const clicks = days.flatMap((d) => d.clicks);
    const brokers = days.flatMap((d) => d.brokers);
    const counted: LagStats[] = range(0, 6).map((d) => lagStats(clicks, brokers, { from: d * DAY, to: (d + 1) * DAY }));
    const cached: LagStats[] = counted.map((s) => JSON.parse(JSON.stringify(s)));
    const fresh = modelFromStats(counted.reduce(addStats));
    expect(fresh.trueCount.ip).toBeGreaterThan(100);
    expect(modelFromStats(cached.reduce(addStats))).toStrictEqual(fresh);
    // and the days' counts sum to the counts of the whole week
    expect(counted.reduce(addStats)).toStrictEqual(lagStats(clicks, brokers));
  });
});
