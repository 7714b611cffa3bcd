import {
  analysedDays, arrow, findingFigures, findingLabel, findingsChart, figure, funnelChart, groupLabel, html, int, keyFigures, matchRateChart, pct, pctAxis, rateCell,
  rowsPerDayChart, share, sourcesTable, table, when, type Cell,
} from './blocks';
import { esc } from './escape';
import { formatP, METRIC_DEFS, METRICS, type Analysis, type Comparison, type DimensionAnalysis, type Finding } from './findings';
import type { Analysed, ReportModel } from './model';
import { LAG_BOUNDS, type Lag, type Period, type Suspicious } from './queries';
import { hbars, lines, type Bar, type Tone } from './svg';

export type { ReportModel } from './model';

/** Findings shown in full; the rest go into a table. */
const CARDS = 10;

/** Parts left empty (a chart without data) are left out. */
function section(id: string, title: string, body: string[]): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body.filter(Boolean).join('\n')}</section>`;
}

const STYLE = `
@page { size: A4; margin: 14mm 12mm; }
body { font: 13px/1.45 Helvetica, Arial, sans-serif; color: #1a202c; max-width: 780px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; border-bottom: 2px solid #e2e8f0; padding-bottom: 3px; margin-top: 28px; }
h3 { font-size: 14px; margin: 18px 0 6px; } h4 { font-size: 13px; }
.sub { color: #4a5568; margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 12px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f7fafc; } .num { text-align: right; white-space: nowrap; } td:first-child { min-width: 7em; }
.ci { color: #718096; font-size: 11px; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.card { border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px 10px; min-width: 150px; flex: 1; }
.card b { display: block; font-size: 18px; } .card span { color: #4a5568; font-size: 11px; }
.finding { border-left: 4px solid #4c78c0; padding: 4px 10px; margin: 10px 0; break-inside: avoid; }
.finding.higher { border-color: #2f855a; } .finding.lower { border-color: #c05621; }
.finding p { margin: 3px 0; } .action { font-weight: bold; }
.up { color: #2f855a; } .down { color: #c05621; }
figure { margin: 10px 0; break-inside: avoid; } figcaption { color: #4a5568; font-size: 11px; }
code, pre { font-family: Menlo, Consolas, monospace; font-size: 11px; background: #f7fafc; overflow-wrap: anywhere; }
pre { padding: 8px; white-space: pre-wrap; border: 1px solid #e2e8f0; }
.note { color: #4a5568; }
#appendix { break-before: page; } .keep { break-inside: avoid; }
`;

export function render(m: ReportModel): string {
  const a = m.analysed;
  const parts = [
    header(m),
    a ? keyFigures(a, m) : `<p class="note">The two sources share no period yet, so there is nothing to analyse: the report shows what was delivered.</p>`,
    a ? findingsSection(a.analysis.findings, m) : '',
    a ? funnel(a, m) : '',
    coverageSection(m),
    qualitySection(m),
    a ? dimensionsSection(a.analysis) : '',
    a ? lagSection(a.lag) : '',
    methodsSection(m),
    `<section id="appendix"><p class="note">Appendix, rendered from <code>docs/ideal-pipeline.md</code> when the report was built.</p>` +
      ('html' in m.appendix ? m.appendix.html : `<p class="note">${esc(m.appendix.missing)}</p>`) +
      `</section>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>BrokerChooser click-outs: analysis report</title><style>${STYLE}</style></head>
<body>
${parts.filter(Boolean).join('\n')}
</body></html>
`;
}

function header(m: ReportModel): string {
  const p = m.analysed?.period;
  return (
    `<header><h1>BrokerChooser click-outs and broker sign-ups: analysis report</h1>` +
    `<p class="sub">Generated ${esc(when(m.generatedAt))} from <code>mart.user_journey</code> by <code>journey report</code>. ` +
    (p ? `Analysed period: ${esc(when(p.from))} to ${esc(when(p.to))}, the span both sources cover.` : 'No analysed period.') +
    `</p></header>`
  );
}

function findingsSection(findings: readonly Finding[], m: ReportModel): string {
  const intro =
    findings.length === 0
      ? `<p>No comparison is statistically significant at a family-wise error rate of ${m.settings.alpha} per dimension (Holm). That is a finding too: none of the groups differs from the rest by more than chance explains at this sample size.</p>`
      : `<p>${findings.length} statistically significant difference${findings.length > 1 ? 's' : ''}, most valuable first: ranked by the valuable users they move over the period (group size × difference in rate; a sign-up counts as the share of sign-ups that are valuable). Each compares a group with the rest of its dimension (or the other device) and is significant after Holm's correction over the dimension's comparisons.</p>`;
  const cards = findings.slice(0, CARDS).map(
    (f, i) =>
      `<div class="finding ${f.direction}"><h3>${i + 1}. ${esc(findingLabel(f))} ${arrow(f)}</h3>` +
      `<p>${findingFigures(f)}. Adjusted p = ${esc(formatP(f.pValue))}; ≈ ${esc(f.value.toFixed(1))} valuable users.</p>` +
      `<p class="action">Action: ${esc(f.action)}</p><p class="ci">${esc(f.test)}</p></div>`,
  );
  // The long tail moves little value each; a table keeps every number and action without a page per few findings.
  const rest = findings.slice(CARDS);
  const tail = rest.length
    ? `<h3>Further findings</h3>` +
      table(
        ['finding and action', 'rate [95% CI], n', 'baseline', 'adj. p', 'value'],
        rest.map((f, i): Cell[] => [
          html(`${CARDS + i + 1}. ${esc(findingLabel(f))} ${arrow(f)}<br><span class="ci">${esc(f.action)}</span>`),
          html(`${rateCell({ rate: f.rate, ci: f.ci }).html}<br><span class="ci">n = ${esc(int(f.n))}</span>`),
          html(`${esc(pct(f.baselineRate))}<br><span class="ci">${esc(f.baseline)}</span>`),
          formatP(f.pValue),
          f.value.toFixed(1),
        ]),
      )
    : '';
  return section('findings', 'Findings and actions', [intro, findingsChart(findings), ...cards, tail]);
}

function funnel(a: Analysed, m: ReportModel): string {
  const sc = a.scores;
  const high = m.settings.highScoreMin;
  const scoreRows: [string, number][] = [
    ['0 (or below)', sc.zeroOrLess],
    [`1 to ${high - 1}`, sc.valuable],
    [`${high} or more (high score)`, sc.high],
    ['not a number (left out of the score rates)', sc.invalid],
  ];
  const matched = scoreRows.reduce((sum, [, n]) => sum + n, 0);
  return section('funnel', 'Funnel', [
    funnelChart(a, high),
    `<h3>Scores of the matched clicks</h3>`,
    table(['important_score', 'matched clicks', 'share'], scoreRows.map(([label, n]) => [label, int(n), share(n, matched)])),
  ]);
}

function periodCells(p: Period | null): Cell[] {
  return p ? [when(p.from), when(p.to)] : ['–', '–'];
}

function coverageSection(m: ReportModel): string {
  const c = m.coverage;
  const body = [
    table(
      ['source', 'rows', 'first', 'last'],
      [
        ['clicks (conversions)', int(c.clicks.rows), ...periodCells(c.clicks.period)],
        ['broker records', int(c.broker.rows), ...periodCells(c.broker.period)],
        ['both (the analysed period)', int(c.matched) + ' matched', ...periodCells(c.overlap)],
      ],
    ),
  ];
  body.push(rowsPerDayChart(m));
  return section('coverage', 'Coverage', body);
}

function qualitySection(m: ReportModel): string {
  const q = m.quality;
  const clicks = m.coverage.clicks.rows;
  const body = [
    `<h3>Rows read, accepted and quarantined</h3>`,
    sourcesTable(q),
    q.quarantine.length
      ? `<h4>Most common quarantine reasons</h4>` + table(['source', 'reason', 'rows'], q.quarantine.map((r) => [r.source, html(`<code>${esc(r.reason)}</code>`), int(r.rows)]), 2)
      : `<p class="note">No row was quarantined.</p>`,
    `<h3>Flags in the unified dataset</h3>`,
    q.flags.length
      ? table(['flag', 'click rows', 'share of clicks', 'broker-only rows'], q.flags.map((f) => [html(`<code>${esc(f.flag)}</code>`), int(f.clicks), share(f.clicks, clicks), int(f.brokerOnly)]))
      : `<p class="note">No row carries a flag.</p>`,
    `<p class="note">Rows are kept and flagged, never altered: <code>suspicious_payload</code> (scanner traffic), <code>unmapped_category</code> (page category missing from the mapping), <code>invalid_score</code> (a score such as <code>#REF!</code>), <code>unknown_country</code>, <code>duplicate_record</code>. Counted over everything delivered.</p>`,
  ];
  const inside = analysedDays(m);
  if (inside.length) {
    body.push(
      `<h3>Match rate and estimated false matches per day</h3>`,
      matchRateChart(inside),
      figure(
        lines('Estimated false matches per day', inside.map((d) => d.day), [{ name: 'estimated false matches (sum of 1 − match probability)', values: inside.map((d) => d.estimatedFalseMatches) }], (v) => v.toFixed(1)),
        'Matches are probabilistic: each has a probability, and the expected number of wrong pairs is the sum of their complements.',
      ),
    );
  }
  if (m.analysed) body.push(suspiciousSection(m.analysed.suspicious, m.settings.includeSuspicious));
  return section('quality', 'Data quality', body);
}

function suspiciousSection(s: Suspicious, included: boolean): string {
  const values = s.values.length
    ? table(['field', 'value (as delivered, shown as text)', 'clicks'], s.values.map((v) => [v.column, html(`<code>${esc(v.value)}</code>`), int(v.rows)]), 2)
    : '';
  return (
    `<h3>Suspicious traffic</h3><p>${esc(int(s.clicks))} clicks in the analysed period carry values that look like scanner payloads (quotes, markup, SQL fragments; ` +
    `flag <code>suspicious_payload</code>, on the click or on its broker record). ${esc(int(s.matched))} of them have a broker record and ${esc(int(s.scored))} a score above 0. ` +
    `They are ${included ? '<b>included</b> in the analysis (<code>--include-suspicious</code>)' : 'excluded from the analysis'}.</p>${values}`
  );
}

function toneOf(c: Comparison | undefined): Tone {
  if (!c?.significant) return 'bar';
  return c.rate.rate > c.baselineRate.rate ? 'higher' : 'lower';
}

function dimensionsSection(analysis: Analysis): string {
  const body = [
    `<p>Each rate with its 95% Wilson interval (whiskers; bracketed in the tables). The dashed line is the rate over all analysed clicks. Coloured bars differ significantly from their baseline (green higher, orange lower). Small groups are pooled into 'Other' and not tested.</p>`,
  ];
  for (const d of analysis.dimensions) body.push(dimensionBlock(d, analysis));
  return section('dimensions', 'Rates by dimension', body);
}

function dimensionBlock(d: DimensionAnalysis, analysis: Analysis): string {
  if (d.groups.length === 0) return `<h3>${esc(d.label)}</h3><p class="note">No clicks.</p>`;
  const byKey = new Map(d.comparisons.map((c) => [`${c.metric}\u0000${c.group}`, c]));
  const cmp = (metric: string, group: string) => byKey.get(`${metric}\u0000${group}`);
  const panels = METRICS.map((metric) => ({
    title: METRIC_DEFS[metric].label,
    format: pctAxis,
    reference: analysis.overall.rates[metric].rate,
    bars: d.groups.map((g): Bar => ({ value: g.rates[metric].rate, ci: g.rates[metric].ci, tone: toneOf(cmp(metric, g.group)) })),
  }));
  const mark = (metric: string, group: string): string => {
    const c = cmp(metric, group);
    if (!c?.significant) return '';
    return c.rate.rate > c.baselineRate.rate ? ` <span class="up">▲ p=${esc(formatP(c.pValue))}</span>` : ` <span class="down">▼ p=${esc(formatP(c.pValue))}</span>`;
  };
  const rows = d.groups.map((g): Cell[] => [
    groupLabel(d.dimension, g.group),
    int(g.counts.clicks),
    ...METRICS.map((metric) => html(rateCell(g.rates[metric]).html + mark(metric, g.group))),
  ]);
  // The heading stays on the page of its chart.
  return (
    `<div class="keep"><h3>${esc(d.label)}</h3>` +
    figure(
      hbars(`${d.label}: rates by group`, d.groups.map((g) => groupLabel(d.dimension, g.group)), panels),
      `${d.label}. Test: ${d.comparisons.length ? d.test : 'none (fewer than two groups large enough to compare)'}.`,
    ) +
    `</div>` +
    table([d.label, 'clicks', ...METRICS.map((metric) => METRIC_DEFS[metric].label)], rows)
  );
}

function lagLabels(): string[] {
  const labels = LAG_BOUNDS.map((b, i) => {
    const lo = i === 0 ? null : LAG_BOUNDS[i - 1] + 1;
    if (lo === null) return `≤ ${b} s`;
    return lo === b ? `${b} s` : `${lo}–${b} s`;
  });
  return [...labels, `> ${LAG_BOUNDS[LAG_BOUNDS.length - 1]} s`];
}

function lagSection(lag: Lag): string {
  if (lag.matched === 0) return section('lag', 'Time from click to broker record', [`<p class="note">No matched clicks.</p>`]);
  const q = (v: number | null) => (v === null ? '–' : `${v} s`);
  return section('lag', 'Time from click to broker record', [
    figure(
      hbars('Lag distribution', lagLabels(), [{ title: 'matched clicks', format: int, bars: lag.buckets.map((v) => ({ value: v })) }]),
      `Broker registration time minus click time, over ${int(lag.matched)} matched clicks. Median ${q(lag.p50)}, 90th percentile ${q(lag.p90)}, 99th percentile ${q(lag.p99)}.`,
    ),
  ]);
}

function methodsSection(m: ReportModel): string {
  const s = m.settings;
  const a = m.analysed;
  const period = a ? `${when(a.period.from)} to ${when(a.period.to)}` : 'none';
  const falseShare = a ? share(a.lag.estimatedFalseMatches, a.lag.matched) : '–';
  const items = [
    `<b>Population.</b> Clicks from <code>mart.user_journey</code> in the period both sources cover (${esc(period)}): outside it a click cannot be told matched or unmatched. Suspicious traffic is ${s.includeSuspicious ? 'included' : 'excluded and reported separately'}.`,
    `<b>Metrics</b>, per click: <i>match rate</i> = the click has a broker record; <i>valuable-user rate</i> = its broker record has <code>important_score</code> &gt; 0; <i>high-score rate</i> = score ≥ ${esc(s.highScoreMin)}, set above the entry value that most non-zero scores share (see the score table under the funnel). Records whose score was not a number (<code>#REF!</code>) leave the denominators of the score rates.`,
    `<b>Intervals.</b> 95% Wilson score intervals, which keep their coverage for rare events; every rate is shown with its sample size.`,
    `<b>Tests.</b> Each group is compared with the rest of its dimension (with two groups, as for device, the one with the lower rate with the other) by a two-sided two-proportion z-test with pooled standard error, only where each side expects at least 5 successes and 5 failures. Holm's correction keeps the chance of any false finding within a dimension (all its groups and metrics) at ${esc(s.alpha)}. Groups with fewer than ${esc(int(s.minGroupSize))} clicks, and those beyond a dimension's largest 12 to 15, are pooled into 'Other' and not ranked.`,
    `<b>Ranking.</b> Findings are ordered by group size × difference in rate, in valuable users; a difference in sign-ups is converted at the share of sign-ups that are valuable.`,
    `<b>Matches are probabilistic.</b> There is no shared key: clicks and broker records are linked by time and country. About ${esc(falseShare)} of the analysed matches are expected to be wrong (the sum of 1 − match probability), so a small group's rate can move by chance pairings; rates are not reweighted by match probability.`,
    `<b>The score's meaning.</b> <code>important_score</code> is the broker's own measure ("higher is more valuable"), not revenue; a valuable user here means score &gt; 0, nothing more.`,
    `<b>Period and causality.</b> The analysed period covers ${esc(a ? Math.ceil((a.period.to.getTime() - a.period.from.getTime()) / 86_400_000) : 0)} days of one broker's records: weekday patterns rest on that many days and seasonality is out of reach. Differences between pages, elements or countries are associations: the readers differ, not only the page. Test a change (A/B) before rolling it out. Hours and weekdays are UTC, not the reader's local time.`,
    `<b>One effect, several findings.</b> A high-score user is a valuable user and has a broker record, so one effect can appear on several metrics; and a page group is the first level of its page categories, and some UI elements sit on one kind of page only, so it can appear in several dimensions too.`,
  ];
  return section('methods', 'Method and limits', [`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`]);
}
