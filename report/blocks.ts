import { getName } from 'i18n-iso-countries';
import { esc } from './escape';
import { DIMENSION_DEFS, METRIC_DEFS, type Dimension, type Finding, type Rate } from './findings';
import type { Analysed, ReportModel } from './model';
import type { Day, Quality } from './queries';
import { hbars, lines } from './svg';

/**
 * What the report and the slides both show, built once from the model: number formats,
 * tables, the key figures and the charts. Any plain string given to these helpers is escaped.
 */

/** Markup that is already safe. */
export interface Html {
  html: string;
}
export type Cell = string | number | Html;

export const html = (s: string): Html => ({ html: s });
const cell = (c: Cell): string => (typeof c === 'object' ? c.html : esc(c));

export function table(headers: readonly string[], rows: readonly Cell[][], numericFrom = 1): string {
  const cls = (i: number) => (i >= numericFrom ? ' class="num"' : '');
  return (
    `<table><thead><tr>${headers.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 2 : 1)}%`;
export const pctAxis = (r: number) => `${(r * 100).toFixed(r < 0.02 ? 2 : 1)}%`;
export const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
export const share = (part: number, whole: number) => (whole > 0 ? pct(part / whole) : '–');

export function rateCell(r: Pick<Rate, 'rate' | 'ci'>): Html {
  return html(`${esc(pct(r.rate))} <span class="ci">[${esc(pct(r.ci[0]))}, ${esc(pct(r.ci[1]))}]</span>`);
}

export function figure(chart: string, caption: string): string {
  return `<figure>${chart}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** Country codes are what the data and the JSON carry; readers get the name too. */
export function groupLabel(dimension: Dimension, group: string): string {
  const name = dimension === 'country' ? getName(group, 'en') : undefined;
  return name ? `${group} (${name})` : group;
}

export function findingLabel(f: Finding): string {
  return `${DIMENSION_DEFS[f.dimension].label}: ${groupLabel(f.dimension, f.group)} · ${METRIC_DEFS[f.metric].label}`;
}

export function arrow(f: Finding): string {
  return `<span class="${f.direction === 'higher' ? 'up' : 'down'}">${f.direction === 'higher' ? '▲' : '▼'}</span>`;
}

/** One finding's figures: its rate, interval and n against its baseline's. */
export function findingFigures(f: Finding): string {
  return (
    `${esc(METRIC_DEFS[f.metric].label)} <b>${esc(pct(f.rate))}</b> <span class="ci">95% CI [${esc(pct(f.ci[0]))}, ${esc(pct(f.ci[1]))}], n = ${esc(int(f.n))}</span> ` +
    `vs <b>${esc(pct(f.baselineRate))}</b> <span class="ci">[${esc(pct(f.baselineCi[0]))}, ${esc(pct(f.baselineCi[1]))}], n = ${esc(int(f.baselineN))}</span> for ${esc(f.baseline)}` +
    `${f.ratio === null ? '' : ` (${esc(f.ratio.toFixed(2))}×)`}`
  );
}

export function keyFigures(a: Analysed, m: ReportModel): string {
  const o = a.analysis.overall;
  const card = (value: string, label: string) => `<div class="card"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
  const rate = (r: Rate, label: string) => card(pct(r.rate), `${label}: ${int(r.successes)} of ${int(r.n)}, 95% CI ${pct(r.ci[0])}–${pct(r.ci[1])}`);
  return (
    `<div class="cards">` +
    card(int(o.counts.clicks), 'clicks analysed') +
    rate(o.rates.match_rate, 'with a broker record') +
    rate(o.rates.score_rate, 'valuable users (score > 0)') +
    rate(o.rates.high_score_rate, `high score (≥ ${m.settings.highScoreMin})`) +
    card(int(a.lag.estimatedFalseMatches), `estimated false matches (${share(a.lag.estimatedFalseMatches, a.lag.matched)})`) +
    card(int(a.suspicious.clicks), m.settings.includeSuspicious ? 'suspicious clicks, included' : 'suspicious clicks, excluded') +
    `</div>`
  );
}

/** The value each of the top findings moves, as bars; empty without findings. */
export function findingsChart(findings: readonly Finding[]): string {
  const top = findings.slice(0, 12);
  if (top.length === 0) return '';
  return figure(
    hbars('Value moved by the top findings', top.map(findingLabel), [
      { title: 'valuable users moved', format: (v) => v.toFixed(v < 10 ? 1 : 0), bars: top.map((f) => ({ value: f.value, tone: f.direction })) },
    ]),
    'Green: the group does better than its baseline; orange: worse.',
  );
}

export function funnelChart(a: Analysed, highScoreMin: number): string {
  const o = a.analysis.overall.counts;
  const steps: [string, number][] = [
    ['clicks', o.clicks],
    ['with a broker record', o.matched],
    ['valuable users (score > 0)', o.scored],
    [`high-score users (score ≥ ${highScoreMin})`, o.highScored],
  ];
  return figure(
    hbars('Funnel', steps.map(([l]) => l), [{ title: 'clicks', format: int, bars: steps.map(([, v]) => ({ value: v })) }]),
    `Clicks in the analysed period and how far they got. ${share(o.matched, o.clicks)} of clicks have a broker record; ${share(o.scored, o.matched)} of those are valuable users.`,
  );
}

/** Rows per day of each source, the analysed period shaded; empty without days. */
export function rowsPerDayChart(m: ReportModel): string {
  if (m.days.length === 0) return '';
  const days = m.days.map((d) => d.day);
  const overlap = m.coverage.overlap ? [m.coverage.overlap.from, m.coverage.overlap.to].map((d) => days.indexOf(d.toISOString().slice(0, 10))) : null;
  return figure(
    lines('Rows per day', days, [
      { name: 'clicks', values: m.days.map((d) => d.clicks) },
      { name: 'broker records', values: m.days.map((d) => d.brokerRecords) },
      { name: 'matched clicks', values: m.days.map((d) => d.matched) },
    ], int, overlap && overlap.every((i) => i >= 0) ? (overlap as [number, number]) : undefined),
    'Clicks by click day, broker records by registration day (UTC); the shaded span is the period both sources cover. Only clicks in it can be judged matched or not.',
  );
}

/** The days of the period both sources cover. */
export function analysedDays(m: ReportModel): Day[] {
  const overlap = m.coverage.overlap;
  if (!overlap) return [];
  const [from, to] = [overlap.from, overlap.to].map((d) => d.toISOString().slice(0, 10));
  return m.days.filter((d) => d.day >= from && d.day <= to);
}

export function matchRateChart(days: readonly Day[]): string {
  return figure(
    lines('Match rate per day', days.map((d) => d.day), [
      { name: 'clicks with a broker record', values: days.map((d) => (d.clicks ? d.matched / d.clicks : null)) },
      { name: 'broker records with a click', values: days.map((d) => (d.brokerRecords ? Math.min(1, d.matched / d.brokerRecords) : null)) },
    ], pctAxis),
    'A drop in either line means lost tracking, a late delivery or a change in the matcher: the signal to alert on.',
  );
}

export function sourcesTable(q: Quality): string {
  if (q.sources.length === 0) return `<p class="note">No batch has recorded its counts.</p>`;
  return table(['source', 'read', 'accepted', 'quarantined', 'share quarantined'], q.sources.map((s) => [s.source, int(s.read), int(s.accepted), int(s.quarantined), share(s.quarantined, s.read)]));
}
