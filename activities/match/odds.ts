import { NONE, type Indexed } from './records';
import type { MatchModel } from './types';

/** Share of clicks from a country, with half a click of prior so no country has share 0. */
export function clickShare(clickCountries: Record<string, number>, clicks: number, country: string): number {
  return ((clickCountries[country] ?? 0) + 0.5) / (clicks + 0.5);
}

/**
 * Odds (true over chance candidates) of one candidate, from its cell and the record's country.
 * The chance rate hours away scales with how common the agreeing country is among clicks
 * (a term-frequency adjustment: a US click next to a US record is weaker evidence than a
 * Maltese click next to a Maltese record); the extra chance near a record, one user's own
 * clicks, does not depend on the country. At level 'none' any click is a chance candidate, so
 * the rate there is the same for every record.
 */
export function pairOdds(model: MatchModel, data: Indexed): (broker: number, level: number, lag: number) => number {
  const support = model.support;
  if (!support) return () => 0;
  const trueRate = [model.trueRate.ip, model.trueRate.residency, model.trueRate.none];
  const chance = [model.background.ip, model.background.residency, model.background.none];
  const floor = [model.shiftBackground.ip, model.shiftBackground.residency];
  const meanShare = [model.meanShare.ip, model.meanShare.residency];
  const share = data.countries.map((c) => clickShare(model.clickCountries, model.estimatedOn.clicks, c));
  // Indexed by level: IP = 0, RESIDENCY = 1.
  const fields = [data.brokerIp, data.brokerResidency];
  return (broker, level, lag) => {
    const rate = trueRate[level][lag - support.from];
    if (!(rate > 0)) return 0;
    const d = Math.abs(lag);
    if (level === NONE) return rate / chance[NONE][d];
    const relative = share[fields[level][broker]] / (meanShare[level] || 1);
    return rate / (floor[level] * relative + Math.max(0, chance[level][d] - floor[level]));
  };
}
