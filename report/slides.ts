import {
  analysedDays, arrow, findingFigures, findingLabel, findingsChart, funnelChart, groupLabel, html, int, keyFigures, matchRateChart, pct, rowsPerDayChart, share,
  sourcesTable, table, when,
} from './blocks';
import { esc } from './escape';
import { DIMENSION_DEFS, formatP, METRIC_DEFS, type Finding } from './findings';
import type { ListedSection } from './markdown';
import type { ReportModel } from './model';
import { hbars } from './svg';

/**
 * The report as a 16:9 deck for BrokerChooser's product team, from the same model: the
 * headline figures, the top findings one per slide, data quality, the ideal pipeline and the
 * recommendations. Printed to PDF by Chromium like the report; one slide is one page.
 */

export interface DeckInput {
  /** The ideal pipeline drawn (the first drawing of docs/ideal-pipeline.md), or why not. */
  drawing: { svg: string } | { missing: string };
  /** The recommendations of docs/ideal-pipeline.md, by heading. */
  recommendations: ListedSection[];
}

/** Findings with a slide of their own: with the eight other slides the deck has 8 to 12. */
export const FINDING_SLIDES = 4;

const STYLE = `
@page { size: 10in 5.625in; margin: 0; }
html, body { margin: 0; }
body { font: 15px/1.4 Helvetica, Arial, sans-serif; color: #1a202c; }
.slide { box-sizing: border-box; width: 10in; height: 5.625in; padding: 26px 40px 34px; overflow: hidden; break-after: page; position: relative; }
.slide:last-child { break-after: auto; }
h2 { font-size: 25px; margin: 0 0 10px; } h3 { font-size: 16px; margin: 8px 0 6px; }
.opening h2 { font-size: 34px; margin: 100px 0 12px; }
.kicker { color: #4c78c0; font-size: 12px; font-weight: bold; text-transform: uppercase; letter-spacing: .08em; margin: 0 0 4px; }
.sub { color: #4a5568; font-size: 17px; margin: 4px 0; }
.slide > footer { position: absolute; left: 40px; right: 40px; bottom: 12px; color: #718096; font-size: 11px; display: flex; justify-content: space-between; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 10px; }
.card { border: 1px solid #e2e8f0; border-radius: 6px; padding: 6px 10px; flex: 1; }
.card b { display: block; font-size: 24px; } .card span { color: #4a5568; font-size: 11px; }
figure { margin: 6px 0; } figcaption { color: #4a5568; font-size: 12px; }
svg.chart { max-width: 100% !important; }
.drawing svg { display: block; max-width: 100% !important; height: 410px; margin: 0 auto; }
.figures { font-size: 17px; margin: 6px 0 10px; } .ci { color: #718096; font-size: 13px; }
.up { color: #2f855a; } .down { color: #c05621; }
.action { border-left: 5px solid #4c78c0; background: #f7fafc; padding: 8px 14px; font-size: 17px; font-weight: bold; margin: 10px 0; }
.action.higher { border-color: #2f855a; } .action.lower { border-color: #c05621; }
.note { color: #4a5568; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 30px; }
ul { margin: 4px 0; padding-left: 20px; } li { margin: 3px 0; } .cols ul { font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f7fafc; } .num { text-align: right; white-space: nowrap; }
code { font-family: Menlo, Consolas, monospace; font-size: 12px; background: #f7fafc; }
`;

const NOTHING = `<p class="note">The two sources share no period yet, so there is nothing to analyse.</p>`;

interface Slide {
  kicker: string;
  /** Markup: a finding's title carries its arrow. */
  title: string;
  body: string[];
  opening?: boolean;
}

export function renderSlides(m: ReportModel, deck: DeckInput): string {
  const findings = m.analysed?.analysis.findings ?? [];
  const top = findings.slice(0, FINDING_SLIDES);
  const slides: Slide[] = [
    openingSlide(m),
    headlineSlide(m),
    overviewSlide(m, findings),
    ...top.map((f, i) => findingSlide(f, i, findings.length)),
    coverageSlide(m),
    qualitySlide(m),
    pipelineSlide(deck),
    recommendationsSlide(top, deck),
    methodSlide(m),
  ];
  const section = (s: Slide, i: number) =>
    `<section class="slide${s.opening ? ' opening' : ''}"><p class="kicker">${esc(s.kicker)}</p><h2>${s.title}</h2>${s.body.filter(Boolean).join('\n')}` +
    `<footer><span>BrokerChooser click-outs · journey report · ${esc(when(m.generatedAt))}</span><span>${i + 1} / ${slides.length}</span></footer></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>BrokerChooser click-outs: findings for the product team</title><style>${STYLE}</style></head>
<body>
${slides.map(section).join('\n')}
</body></html>
`;
}

function openingSlide(m: ReportModel): Slide {
  const a = m.analysed;
  return {
    opening: true,
    kicker: 'For the product team',
    title: 'What turns a BrokerChooser click-out into a valuable broker user',
    body: [
      a
        ? `<p class="sub">${esc(int(a.analysis.overall.counts.clicks))} clicks from ${esc(when(a.period.from))} to ${esc(when(a.period.to))}, linked to the broker's user records; ${esc(String(a.analysis.findings.length))} significant findings, each with the action it suggests.</p>`
        : NOTHING,
      `<p class="note">From <code>mart.user_journey</code> by <code>journey report</code>: every figure is computed from the data when the deck is built.</p>`,
    ],
  };
}

function headlineSlide(m: ReportModel): Slide {
  const a = m.analysed;
  return { kicker: 'Headline figures', title: 'From click to valuable user', body: a ? [keyFigures(a, m), funnelChart(a, m.settings.highScoreMin)] : [NOTHING] };
}

function overviewSlide(m: ReportModel, findings: readonly Finding[]): Slide {
  const alpha = esc(String(m.settings.alpha));
  const intro = findings.length
    ? `<p>${esc(String(findings.length))} groups differ significantly from their baseline (Holm-corrected at ${alpha} per dimension), ranked by the valuable users they move. The next slides take the top ${esc(String(Math.min(FINDING_SLIDES, findings.length)))}.</p>`
    : `<p>No group differs from its baseline by more than chance explains at this sample size (Holm-corrected at ${alpha} per dimension). That is a finding too.</p>`;
  return { kicker: 'Findings', title: 'Where the value moves', body: [m.analysed ? intro : NOTHING, findingsChart(findings)] };
}

function findingSlide(f: Finding, i: number, total: number): Slide {
  const metric = METRIC_DEFS[f.metric].label;
  // The title becomes an attribute (aria-label): no value from the data goes there, escaped or not.
  const chart = hbars(`${DIMENSION_DEFS[f.dimension].label}: ${metric} of the group and of ${f.baseline}`, [groupLabel(f.dimension, f.group), f.baseline], [
    { title: metric, format: pct, bars: [{ value: f.rate, ci: f.ci, tone: f.direction }, { value: f.baselineRate, ci: f.baselineCi }] },
  ], 40);
  return {
    kicker: `Finding ${i + 1} of ${total}`,
    title: `${esc(findingLabel(f))} ${arrow(f)}`,
    body: [
      `<p class="figures">${findingFigures(f)}</p>`,
      `<figure>${chart}<figcaption>Bars: the rates; whiskers: their 95% intervals. ${esc(f.test)}; adjusted p = ${esc(formatP(f.pValue))}; ≈ ${esc(f.value.toFixed(1))} valuable users over the period.</figcaption></figure>`,
      `<p class="action ${f.direction}">Action: ${esc(f.action)}</p>`,
    ],
  };
}

function coverageSlide(m: ReportModel): Slide {
  const c = m.coverage;
  const period = c.overlap ? `${when(c.overlap.from)} to ${when(c.overlap.to)}` : 'none yet';
  return {
    kicker: 'Data',
    title: 'What was delivered',
    body: [
      `<p>${esc(int(c.clicks.rows))} clicks and ${esc(int(c.broker.rows))} broker records; ${esc(int(c.matched))} clicks matched. Analysed: the period both sources cover, ${esc(period)}.</p>`,
      rowsPerDayChart(m),
    ],
  };
}

function qualitySlide(m: ReportModel): Slide {
  const q = m.quality;
  const flags = q.flags.length
    ? table(['flag', 'click rows', 'share of clicks'], q.flags.slice(0, 5).map((f) => [html(`<code>${esc(f.flag)}</code>`), int(f.clicks), share(f.clicks, m.coverage.clicks.rows)]))
    : `<p class="note">No row carries a flag.</p>`;
  const a = m.analysed;
  const matches = a
    ? `<p>Matches are probabilistic: about ${esc(share(a.lag.estimatedFalseMatches, a.lag.matched))} of them (${esc(int(a.lag.estimatedFalseMatches))}) are expected to be wrong. ${esc(int(a.suspicious.clicks))} clicks look like scanner traffic and are ${m.settings.includeSuspicious ? 'included' : 'left out'}.</p>`
    : '';
  const days = analysedDays(m);
  return {
    kicker: 'Data quality',
    title: 'How far the figures can be trusted',
    body: [
      `<div class="cols"><div><h3>Rows read, accepted, quarantined</h3>${sourcesTable(q)}<h3>Flags (rows are kept and flagged, never altered)</h3>${flags}</div>` +
        `<div>${matches}${days.length ? matchRateChart(days) : ''}</div></div>`,
    ],
  };
}

function pipelineSlide(deck: DeckInput): Slide {
  const body = 'svg' in deck.drawing ? `<figure class="drawing">${deck.drawing.svg}</figure>` : `<p class="note">${esc(deck.drawing.missing)}</p>`;
  return { kicker: 'The ideal pipeline', title: 'From sources to dashboards', body: [body] };
}

function recommendationsSlide(top: readonly Finding[], deck: DeckInput): Slide {
  const actions = top.length
    ? `<ul>${top.map((f) => `<li><b>${esc(findingLabel(f))}</b> ${arrow(f)}: ${esc(f.action)}</li>`).join('')}</ul>`
    : `<p class="note">No finding, so no action from the data yet.</p>`;
  const docs = deck.recommendations.map((r) => `<h3>${esc(r.heading)}</h3><ul>${r.leads.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`).join('');
  return {
    kicker: 'Recommendations',
    title: 'What to do next',
    body: [`<div class="cols"><div><h3>From the findings: A/B test, then roll out</h3>${actions}</div><div>${docs || '<p class="note">docs/ideal-pipeline.md lists none.</p>'}</div></div>`],
  };
}

function methodSlide(m: ReportModel): Slide {
  const a = m.analysed;
  const items = [
    `Every rate comes with its 95% Wilson interval and its n. A group is compared with the rest of its dimension by a two-proportion z-test, Holm-corrected over the dimension's comparisons at ${esc(String(m.settings.alpha))}; groups under ${esc(int(m.settings.minGroupSize))} clicks are pooled and not ranked.`,
    `Clicks and broker records share no key: they are linked by time and country${a ? `, and about ${esc(share(a.lag.estimatedFalseMatches, a.lag.matched))} of the links are expected to be wrong` : ''}. A click id passed to the broker makes the link exact.`,
    `The findings are associations: the readers of different pages differ, not only the pages. Test a change (A/B) before rolling it out.`,
    `A valuable user is one whose broker score is above 0; a high score is ${esc(String(m.settings.highScoreMin))} or more. The score is the broker's own measure, not revenue.`,
  ];
  return {
    kicker: 'Method and limits',
    title: 'How to read these figures',
    body: [`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`, `<p class="note">The full report has every dimension, table and test.</p>`],
  };
}
