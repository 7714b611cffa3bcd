import { clickShare } from './odds';
import { indexRecords, IP, levelOf, NONE, RESIDENCY, scanWindow, type Indexed } from './records';
import { expandBlocks, fitExcess, nonIncreasingFit } from './stats';
import type { BrokerRecord, Click, LevelTable, LevelValues, MatchModel } from './types';

/**
 * Lags are counted over [-LAG_WINDOW, LAG_WINDOW]. True pairs sit within seconds to tens of
 * seconds; the negative side, where only chance lives, needs enough seconds to measure it.
 */
const LAG_WINDOW = 120;
/** Negative lags the clocks of the two systems may produce for a true pair. */
const CLOCK_SKEW = 2;
/** Hours away no true lag can reach; averaging many offsets smooths out the daily cycle. */
const SHIFT_OFFSETS = [1, 2, 3, 4, 5, 6].flatMap((h) => [h * 3600, -h * 3600]);
/**
 * One-sided z (~1e-4) a block of the lag histogram must reach to count as true pairs rather
 * than chance. An estimate makes a few dozen such tests, so pure chance almost never shows a peak.
 */
const SIGNIFICANCE_Z = 3.7;

const WIDTH = 2 * LAG_WINDOW + 1;

function lagHistogram(data: Indexed, offset: number): Float64Array[] {
  const counts = [new Float64Array(WIDTH), new Float64Array(WIDTH), new Float64Array(WIDTH)];
  scanWindow(data, offset, -LAG_WINDOW, LAG_WINDOW, (b, c, lag) => counts[levelOf(data, b, c)][lag + LAG_WINDOW]++);
  return counts;
}

/**
 * Chance candidates per lag second with the records moved hours away. Half a count of prior
 * keeps a level that never occurs by chance from having a zero chance rate.
 */
function shiftRates(data: Indexed): number[] {
  const totals = [0, 0, 0];
  for (const offset of SHIFT_OFFSETS) {
    lagHistogram(data, offset).forEach((h, level) => (totals[level] += h.reduce((a, b) => a + b, 0)));
  }
  return totals.map((n) => (n + 0.5) / (SHIFT_OFFSETS.length * WIDTH));
}

/**
 * Chance rate per lag second as a function of distance |lag|, read off the negative side of
 * the histogram where no true pair can be. Near a record the rate is higher than hours away
 * (one user's clicks come in bursts, and they share a country), but it is symmetric in time,
 * so the negative side measures it for the positive side too. It falls with distance, and
 * never below the rate hours away.
 */
function chanceRates(observed: Float64Array[], floor: number[]): number[][] {
  return observed.map((h, level) => {
    const far = [];
    for (let d = CLOCK_SKEW + 1; d <= LAG_WINDOW; d++) far.push(h[LAG_WINDOW - d]);
    const fitted = expandBlocks(nonIncreasingFit(far));
    const rate: number[] = [];
    for (let d = 0; d <= LAG_WINDOW; d++) rate.push(Math.max(floor[level], fitted[Math.max(0, d - CLOCK_SKEW - 1)]));
    return rate;
  });
}

interface LagProfile {
  from: number;
  to: number;
  share: number[];
}

/**
 * Where true pairs are and how they spread over lags, from the levels where the countries
 * agree (there the peak stands highest above chance). The excess over chance is fitted as
 * falling away from its mode on either side; blocks of the fit are kept outward from the mode
 * while they still show a significant excess, so the tail ends where the data stop showing one.
 */
function lagProfile(observed: Float64Array[], chance: number[][]): LagProfile | null {
  const lags: number[] = [];
  for (let l = -CLOCK_SKEW; l <= LAG_WINDOW; l++) lags.push(l);
  const agree = lags.map((l) => observed[IP][l + LAG_WINDOW] + observed[RESIDENCY][l + LAG_WINDOW]);
  const agreeChance = lags.map((l) => chance[IP][Math.abs(l)] + chance[RESIDENCY][Math.abs(l)]);
  const excess = agree.map((n, i) => n - agreeChance[i]);
  let mode = 0;
  excess.forEach((e, i) => {
    if (e > excess[mode]) mode = i;
  });

  // Fits one side, listed outward from the mode; returns the kept lags' fitted excess. A block
  // is kept when it starts a stretch of blocks with a significant excess, so one weak second
  // does not cut off a clear tail behind it.
  const side = (indices: number[]): number[] => {
    const blocks = nonIncreasingFit(indices.map((i) => excess[i]));
    const kept: number[] = [];
    for (let k = 0; k < blocks.length; k++) {
      let n = 0;
      let mu = 0;
      let significant = false;
      for (let e = k; e < blocks.length && !significant; e++) {
        for (let j = blocks[e].start; j <= blocks[e].end; j++) {
          n += agree[indices[j]];
          mu += agreeChance[indices[j]];
        }
        significant = fitExcess([n], [mu], [1]).z >= SIGNIFICANCE_Z;
      }
      if (!significant) break;
      for (let j = blocks[k].start; j <= blocks[k].end; j++) kept.push(blocks[k].mean);
    }
    return kept;
  };
  const right = side(lags.slice(mode).map((_, k) => mode + k));
  if (right.length === 0) return null;
  const left = side(lags.slice(0, mode).map((_, k) => mode - 1 - k));
  const density = [...left.reverse(), ...right];
  const sum = density.reduce((a, b) => a + b, 0);
  return { from: lags[mode] - left.length, to: lags[mode] + right.length - 1, share: density.map((d) => d / sum) };
}

/**
 * True pairs per country level: the Poisson fit of the level's counts over the support as
 * chance plus a multiple of the lag profile (lag and country agreement independent given a
 * true pair, as Fellegi-Sunter assumes). Not tested for significance: the peak is already
 * established, and a level sized slightly above zero by chance only adds weak candidates,
 * which lose to true partners almost always.
 */
function levelCounts(observed: Float64Array[], chance: number[][], profile: LagProfile): number[] {
  return observed.map((h, level) => {
    const counts: number[] = [];
    const rates: number[] = [];
    for (let l = profile.from; l <= profile.to; l++) {
      counts.push(h[l + LAG_WINDOW]);
      rates.push(chance[level][Math.abs(l)]);
    }
    return fitExcess(counts, rates, profile.share).total;
  });
}

function table(rows: ArrayLike<number>[]): LevelTable {
  return { ip: Array.from(rows[IP]), residency: Array.from(rows[RESIDENCY]), none: Array.from(rows[NONE]) };
}

function values(v: number[]): LevelValues {
  return { ip: v[IP], residency: v[RESIDENCY], none: v[NONE] };
}

function span(t: Float64Array): { from: number; to: number } | null {
  return t.length === 0 ? null : { from: t[0], to: t[t.length - 1] };
}

function countAt(t: Float64Array, from: number, to: number): number {
  let n = 0;
  for (const x of t) if (x >= from && x <= to) n++;
  return n;
}

/**
 * 1 / ((1 - pr) (1 - pc)): pr is the share of records with a true pair among those whose lag
 * window lies inside the clicks' span, pc the share of clicks with one among those a record
 * could reach. One pseudo-pair keeps the factor finite when nearly everything is paired.
 */
function priorFactor(data: Indexed, support: { from: number; to: number }, expectedTrue: number): number {
  const clicks = span(data.clickT);
  const brokers = span(data.brokerT);
  if (!clicks || !brokers) return 1;
  const nb = countAt(data.brokerT, clicks.from + support.to, clicks.to + support.from);
  const nc = countAt(data.clickT, brokers.from - support.to, brokers.to - support.from);
  const free = (n: number): number => Math.max(1, n - expectedTrue + 1) / (n + 1);
  return 1 / (free(nb) * free(nc));
}

export function estimateModel(clicks: readonly Click[], brokers: readonly BrokerRecord[]): MatchModel {
  const data = indexRecords(clicks, brokers);
  const observed = lagHistogram(data, 0);
  const floor = shiftRates(data);
  const chance = chanceRates(observed, floor);
  const profile = lagProfile(observed, chance);
  const trueCount = profile ? levelCounts(observed, chance, profile) : [0, 0, 0];
  const trueRate = trueCount.map((n) => (profile ? profile.share.map((m) => n * m) : []));
  const odds = trueRate.map((rates, level) => rates.map((r, k) => r / chance[level][Math.abs(profile!.from + k)]));

  const clickCountries: Record<string, number> = {};
  for (const code of data.clickCountry) if (code >= 0) clickCountries[data.countries[code]] = (clickCountries[data.countries[code]] ?? 0) + 1;
  let ipShare = 0;
  let residencyShare = 0;
  for (let b = 0; b < data.brokerIds.length; b++) {
    const ip = data.brokerIp[b];
    const residency = data.brokerResidency[b];
    if (ip >= 0) ipShare += clickShare(clickCountries, clicks.length, data.countries[ip]);
    if (residency >= 0 && residency !== ip) residencyShare += clickShare(clickCountries, clicks.length, data.countries[residency]);
  }
  const nb = Math.max(1, data.brokerIds.length);

  return {
    method: 'fellegi-sunter/lag-country',
    version: 1,
    estimatedOn: { clicks: clicks.length, brokers: brokers.length, clickSpan: span(data.clickT), brokerSpan: span(data.brokerT) },
    lagWindow: LAG_WINDOW,
    clockSkew: CLOCK_SKEW,
    observed: table(observed),
    shiftBackground: values(floor),
    shiftOffsets: SHIFT_OFFSETS,
    background: table(chance),
    support: profile && { from: profile.from, to: profile.to },
    lagShare: profile ? profile.share : [],
    trueCount: values(trueCount),
    trueRate: table(trueRate),
    clickCountries,
    meanShare: { ip: ipShare / nb, residency: residencyShare / nb },
    odds: table(odds),
    priorFactor: profile ? priorFactor(data, profile, trueCount.reduce((a, b) => a + b, 0)) : 1,
  };
}
