import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportResult } from '../../report';
import { projectRoot } from '../../infra/paths';
import { mermaidSources } from '../../report/markdown';
import { findChromium, runHeadless } from '../../report/pdf';
import { FINDING_SLIDES } from '../../report/slides';
import { Random } from '../../synth/random';
import { chromiumOrSkip } from '../fixtures/pdf-tools';
import { SAMPLE } from '../fixtures/sample';
import { createTestEnv, type TestEnv } from './harness';

const SCRIPT = '"><script>alert(1)</script>';
const ONERROR = '<img src=x onerror=alert(1)>';

const DAY = 86_400_000;
const CLICKS_FROM = Date.UTC(2024, 3, 1);
/** Broker records start later than clicks, as in the real delivery: the clicks before cannot be analysed. */
const BROKER_FROM = CLICKS_FROM + 3 * DAY;
const ANALYSED_CLICKS = 20_000;
const EARLY_CLICKS = 4_000;
const SUSPICIOUS_CLICKS = 300; // per payload

/** Per-click rates planted in the generated mart. */
interface Plant {
  match: number;
  /** High score (>= 11), per click, by device. */
  high: { desktop: number; mobile: number };
  /** Score exactly 10 (valuable, not high), per click, by page category. */
  ten: (pageCategory: string) => number;
}

const EFFECT: Plant = {
  match: 0.4,
  high: { desktop: 0.04, mobile: 0.02 },
  ten: (page) => (page === 'Find my broker' ? 0.08 : 0.03),
};
const NO_EFFECT: Plant = { match: 0.4, high: { desktop: 0.03, mobile: 0.03 }, ten: () => 0.03 };

const PAGES: [string, string][] = [
  ['Best brokers - general', '01bestca/02notrel/03notrel'],
  ['Country pages', '01counpg/02notrel/03notrel'],
  ['Broker reviews - general', '01review/02notrel/03review'],
  ['Find my broker', '01fmybro/02notrel/03notrel'],
  ['Unmapped', '01safety/02isscam/03notrel'],
];
const ELEMENTS = ['dynamic score top broker list row', 'fmb broker list item link', 'mobile-chapter-2-top5-box', 'desktop-top5-box', 'broker-name-link'];
const COUNTRIES = ['US', 'GB', 'DE', 'AU', 'IN', 'CA', null];

const COLUMNS = [
  'match_status', 'conversion_id', 'clicked_at', 'country_code', 'is_mobile', 'ui_element', 'measurement_category', 'page_category',
  'broker_record_id', 'registered_at', 'ip_country_code', 'important_score', 'lag_seconds', 'match_probability', 'flags',
] as const;
const TYPES = ['text', 'text', 'timestamptz', 'text', 'bool', 'text', 'text', 'text', 'text', 'timestamptz', 'text', 'int', 'int', 'float8', 'text'];
type Row = Record<(typeof COLUMNS)[number], unknown>;

/** A mart as the pipeline would publish it, with the planted rates and scanner payloads in ui_element. */
function generate(plant: Plant, seed: number): Row[] {
  const rng = new Random(seed);
  const rows: Row[] = [];
  const click = (i: number, at: number, ui: string | null, suspicious: boolean): Row => {
    const [page, measurement] = PAGES[rng.int(0, PAGES.length - 1)];
    const mobile = rng.chance(0.6);
    const country = COUNTRIES[rng.int(0, COUNTRIES.length - 1)];
    const flags = [suspicious && 'suspicious_payload', page === 'Unmapped' && 'unmapped_category', country === null && 'unknown_country'];
    const row: Row = {
      match_status: 'conversion_only', conversion_id: `c${i}`, clicked_at: new Date(at), country_code: country, is_mobile: mobile,
      ui_element: ui ?? ELEMENTS[rng.int(0, ELEMENTS.length - 1)], measurement_category: measurement, page_category: page,
      broker_record_id: null, registered_at: null, ip_country_code: null, important_score: null, lag_seconds: null, match_probability: null, flags: '',
    };
    const u = rng.next();
    if (at >= BROKER_FROM && u < plant.match) {
      const high = plant.high[mobile ? 'mobile' : 'desktop'];
      const lag = rng.int(0, 2);
      const invalid = rng.chance(0.005);
      Object.assign(row, {
        match_status: 'matched', broker_record_id: `b${i}`, registered_at: new Date(at + lag * 1000), ip_country_code: country, lag_seconds: lag,
        match_probability: 0.97 + 0.03 * rng.next(),
        important_score: invalid ? null : u < high ? rng.int(11, 100) : u < high + plant.ten(page) ? 10 : 0,
      });
      flags.push(invalid && 'invalid_score');
    }
    row.flags = flags.filter(Boolean).join(';');
    return row;
  };
  const span = (from: number, to: number) => from + Math.floor(rng.next() * (to - from));
  const end = BROKER_FROM + 7 * DAY;
  for (let i = 0; i < EARLY_CLICKS; i++) rows.push(click(rows.length, span(CLICKS_FROM, BROKER_FROM), null, false));
  for (let i = 0; i < ANALYSED_CLICKS; i++) rows.push(click(rows.length, span(BROKER_FROM, end), null, false));
  for (const payload of [SCRIPT, ONERROR]) for (let i = 0; i < SUSPICIOUS_CLICKS; i++) rows.push(click(rows.length, span(BROKER_FROM, end), payload, true));
  for (let i = 0; i < 200; i++) {
    const at = span(BROKER_FROM, end);
    rows.push({
      ...Object.fromEntries(COLUMNS.map((c) => [c, null])),
      match_status: 'broker_only', broker_record_id: `u${i}`, registered_at: new Date(at), ip_country_code: 'US', important_score: 0, flags: '',
    } as Row);
  }
  return rows;
}

async function loadMart(env: TestEnv, rows: Row[]): Promise<void> {
  await env.pool.query('TRUNCATE mart.user_journey');
  const casts = TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  await env.pool.query(
    `INSERT INTO mart.user_journey (${COLUMNS.join(', ')}, batch_id)
     SELECT ${COLUMNS.slice(0, -1).join(', ')}, string_to_array(flags, ';'), 'synthetic' FROM unnest(${casts}) AS t(${COLUMNS.join(', ')})`,
    COLUMNS.map((c) => rows.map((r) => r[c])),
  );
}

/** Quality figures as a batch leaves them, with a payload in a quarantined row's reason. */
async function loadQuality(env: TestEnv): Promise<void> {
  await env.pool.query(`INSERT INTO ops.batches (batch_id, status) VALUES ('synthetic', 'completed')`);
  await env.pool.query(
    `INSERT INTO ops.source_quality (batch_id, source, read, accepted, quarantined) VALUES ('synthetic', 'conversions', $1, $2, 2), ('synthetic', 'broker', 9000, 9000, 0)`,
    [ANALYSED_CLICKS + EARLY_CLICKS + 2 * SUSPICIOUS_CLICKS + 2, ANALYSED_CLICKS + EARLY_CLICKS + 2 * SUSPICIOUS_CLICKS],
  );
  await env.pool.query(
    `INSERT INTO staging.quarantine (batch_id, source, line_no, reason, raw) VALUES
       ('synthetic', 'conversions', 7, $1, '{}'), ('synthetic', 'conversions', 9, 'expected 7 fields as in the header, got 8', '{}')`,
    [`created_at: not a time (got '${ONERROR}')`],
  );
}


/** Pages of a PDF as RGB pixels, via pdftoppm's PPM (P6) output. */
function pdfPages(pdf: string, dpi: number): { width: number; height: number; rgb: Buffer }[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-pages-'));
  try {
    execFileSync('pdftoppm', ['-r', String(dpi), pdf, path.join(dir, 'page')]);
    return fs
      .readdirSync(dir)
      .sort((a, b) => Number(/(\d+)\.ppm$/.exec(a)![1]) - Number(/(\d+)\.ppm$/.exec(b)![1]))
      .map((f) => {
        const data = fs.readFileSync(path.join(dir, f));
        const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'))!;
        return { width: Number(header[1]), height: Number(header[2]), rgb: data.subarray(header[0].length) };
      });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page, as pdftotext reads it. */
function pdfTexts(pdf: string): string[] {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

/** Width and height of each page, in points. */
function pdfPageSizes(pdf: string): [number, number][] {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '1000', pdf], { encoding: 'utf8' });
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Number(m[1]), Number(m[2])]);
}

/** Raster images on pages first..last: what a drawing or chart pasted as a picture would be. */
function pdfImages(pdf: string, first: number, last: number): number {
  const list = execFileSync('pdfimages', ['-list', '-f', String(first), '-l', String(last), pdf], { encoding: 'utf8' });
  return list.split('\n').slice(2).filter((l) => l.trim()).length;
}

const PIPELINE_SOURCES = mermaidSources(fs.readFileSync(path.join(projectRoot(__dirname), 'docs', 'ideal-pipeline.md'), 'utf8'));

/** What a flowchart shows: node texts, subgraph titles and edge labels. */
function mermaidLabels(source: string): string[] {
  return [...source.matchAll(/\[\(?([^\]()]+)\)?\]|\{([^}]+)\}|\|([^|]+)\|/g)].map((m) => (m[1] ?? m[2] ?? m[3]).trim());
}

/** Mermaid's own syntax, which only the source shows. */
const MERMAID_SYNTAX = [/flowchart (LR|TB)/, /\bsubgraph\b/, /\bdirection (LR|TB)\b/, /accTitle/, /-->|-\.->|~~~/, /\b[A-Z]{2,}[[{(]/];

/** Labels wrap inside their boxes, a hyphen ending a line: compare text with line breaks taken out. */
const flat = (text: string) => text.replace(/\s+/g, ' ').replace(/- /g, '-');

/** The drawings' labels are in the text a reader sees, and none of the Mermaid source is. */
function expectDrawn(visible: string, sources: readonly string[]): void {
  expect(sources.length).toBeGreaterThan(0);
  const text = flat(visible);
  for (const label of sources.flatMap(mermaidLabels)) expect(text, label).toContain(flat(label));
  for (const syntax of MERMAID_SYNTAX) expect(text, String(syntax)).not.toMatch(syntax);
}

/** What a browser shows of some markup: its text, without styles, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

/** Chart marks are the only saturated colour on a page: text, grid and axes are grey. */
function colouredShare(page: { rgb: Buffer }): number {
  let coloured = 0;
  const n = page.rgb.length / 3;
  for (let i = 0; i < page.rgb.length; i += 3) {
    const [r, g, b] = [page.rgb[i], page.rgb[i + 1], page.rgb[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return coloured / n;
}

/** Element tags in the document: where markup could come from the data, it must not. */
function tagNames(html: string): Set<string> {
  return new Set((html.match(/<[a-zA-Z][^\s>/]*/g) ?? []).map((t) => t.slice(1).toLowerCase()));
}

function expectOnlyEscaped(html: string): void {
  const names = tagNames(html);
  expect(names.has('script')).toBe(false);
  expect(names.has('img')).toBe(false);
  expect(html.match(/<[a-zA-Z][^>]*\son\w+\s*=/g)).toBeNull();
  expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
}

const covers = (ci: [number, number], p: number) => ci[0] <= p && p <= ci[1];

describe('journey report', () => {
  let env: TestEnv;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-report-'));

  beforeAll(async () => {
    env = await createTestEnv('report');
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('reports an empty mart: coverage without an analysed period, no findings; without Chromium the diagrams as their source', async () => {
    const r = await buildReport(env.pool, path.join(out, 'empty'), { chromium: null });
    expect(r.period).toBeNull();
    expect(r.findings).toEqual([]);
    expect(r.files).toEqual({ html: path.join(out, 'empty', 'report.html') });
    const html = fs.readFileSync(r.files.html, 'utf8');
    expect(html).toContain('nothing to analyse');
    const fallbacks = html.match(/<figure class="mermaid"><pre><code>[\s\S]*?<\/code><\/pre><figcaption>[^<\n]+<\/figcaption><\/figure>/g) ?? [];
    expect(fallbacks).toHaveLength(PIPELINE_SOURCES.length);
    expect(html).not.toContain('<svg');
  });

  it('asked for slides without Chromium, says in one line that it needs it', async () => {
    await expect(buildReport(env.pool, path.join(out, 'no-chromium'), { chromium: null, slides: path.join(out, 'deck.pdf') })).rejects.toThrow(/^the slides need Chromium[^\n]*$/);
  });

  describe('on a mart with planted effects', () => {
    let result: ReportResult;
    let html: string;
    let rows: Row[];

    beforeAll(async () => {
      rows = generate(EFFECT, 1);
      await loadMart(env, rows);
      await loadQuality(env);
      result = await buildReport(env.pool, path.join(out, 'effect'));
      html = fs.readFileSync(result.files.html, 'utf8');
    });

    it('analyses only the period both sources cover, without the suspicious clicks', () => {
      const { from, to } = result.period!;
      expect(from.getTime()).toBeGreaterThanOrEqual(BROKER_FROM);
      expect(from.getTime()).toBeLessThan(BROKER_FROM + DAY);
      const inPeriod = rows.filter((r) => r.conversion_id && (r.clicked_at as Date) >= from && (r.clicked_at as Date) <= to);
      const suspicious = inPeriod.filter((r) => String(r.flags).includes('suspicious_payload'));
      expect(result.clicksAnalysed).toBe(inPeriod.length - suspicious.length);
      expect(result.clicksAnalysed).toBeGreaterThan(ANALYSED_CLICKS * 0.99);
      expect(result.suspiciousClicks).toBe(suspicious.length);
    });

    it('states the planted device effect as a finding, in the right direction, with intervals covering the planted rates', () => {
      const device = result.findings.filter((f) => f.dimension === 'device');
      // a high score is also a score above 0, so the valuable-user rate differs too; the match rate does not
      expect(device.map((f) => f.metric).sort()).toEqual(['high_score_rate', 'score_rate']);
      const f = device.find((x) => x.metric === 'high_score_rate')!;
      expect(f).toMatchObject({ group: 'mobile', baseline: 'desktop', direction: 'lower' });
      expect(f.pValue).toBeLessThan(0.001);
      expect(f.test).toMatch(/z-test.*Holm/);
      expect(covers(f.ci, EFFECT.high.mobile)).toBe(true);
      expect(covers(f.baselineCi, EFFECT.high.desktop)).toBe(true);
      expect(f.action).toMatch(/mobile/);
    });

    it('states the planted page-category effect, and lists findings most valuable first', () => {
      const f = result.findings.find((x) => x.dimension === 'page_category' && x.group === 'Find my broker' && x.metric === 'score_rate');
      expect(f).toMatchObject({ direction: 'higher', baseline: 'all other page categories' });
      // valuable users per click: the high-score share (60% mobile at 2%, 40% desktop at 4%) plus the planted 8% of tens
      expect(covers(f!.ci, 0.6 * 0.02 + 0.4 * 0.04 + 0.08)).toBe(true);
      const values = result.findings.map((x) => x.value);
      expect(values).toEqual([...values].sort((a, b) => b - a));
      for (const x of result.findings) {
        for (const key of ['dimension', 'group', 'baseline', 'metric', 'rate', 'ci', 'baselineRate', 'n', 'pValue', 'test', 'action']) expect(x).toHaveProperty(key);
      }
    });

    it('shows the payloads planted in ui_element only escaped', () => {
      expectOnlyEscaped(html);
    });

    it('lists coverage, data quality and suspicious traffic', () => {
      for (const text of ['Coverage', 'the analysed period', 'Most common quarantine reasons', 'unmapped_category', 'invalid_score', 'unknown_country', 'Suspicious traffic', 'The ideal pipeline', 'click id']) {
        expect(html).toContain(text);
      }
    });

    it('renders in headless Chromium without console errors (a script or a blocked load would log one)', async (ctx) => {
      const { stdout, stderr } = await runHeadless(chromiumOrSkip(ctx), ['--enable-logging=stderr', '--v=0', '--dump-dom', pathToFileURL(result.files.html).href]);
      expect(stderr.split('\n').filter((l) => l.includes(':CONSOLE'))).toEqual([]);
      expect(tagNames(stdout).has('script')).toBe(false);
      expect((stdout.match(/<svg /g) ?? []).length).toBe((html.match(/<svg /g) ?? []).length);
    });

    it('prints a PDF whose pages show the charts', (ctx) => {
      chromiumOrSkip(ctx, { pdftoppm: true });
      expect(result.files.pdf).toBeDefined();
      const pages = pdfPages(result.files.pdf!, 50);
      const shares = pages.map(colouredShare);
      // the findings chart and the funnel open the report
      expect(shares[0]).toBeGreaterThan(0.005);
      // every chart is drawn with coloured marks; at least one per page through the dimensions
      expect(shares.filter((s) => s > 0.002).length).toBeGreaterThanOrEqual(5);
    });

    it('draws both diagrams of docs/ideal-pipeline.md as vector graphics in the HTML: their labels as SVG text, not their source', (ctx) => {
      chromiumOrSkip(ctx);
      const appendix = html.slice(html.indexOf('<section id="appendix">'));
      const drawings = appendix.match(/<figure class="drawing"><svg [\s\S]*?<\/svg><\/figure>/g) ?? [];
      expect(drawings).toHaveLength(PIPELINE_SOURCES.length);
      drawings.forEach((d, i) => expectDrawn(visibleText(d), [PIPELINE_SOURCES[i]]));
      expectDrawn(visibleText(appendix), PIPELINE_SOURCES);
      expect(tagNames(appendix).has('img') || tagNames(appendix).has('canvas')).toBe(false);
    });

    it('draws both diagrams in the PDF\'s appendix as vector graphics: their labels in its text, not their source, and no image', (ctx) => {
      chromiumOrSkip(ctx, { pdftoppm: true });
      const texts = pdfTexts(result.files.pdf!);
      const first = texts.findIndex((t) => t.includes('Appendix, rendered from'));
      expect(first).toBeGreaterThan(0);
      expectDrawn(texts.slice(first).join('\n'), PIPELINE_SOURCES);
      expect(pdfImages(result.files.pdf!, first + 1, texts.length)).toBe(0);
      // drawn, not blank: the boxes' borders are the report's blue
      const drawn = texts.findIndex((t) => t.includes('Quality gates'));
      expect(colouredShare(pdfPages(result.files.pdf!, 50)[drawn])).toBeGreaterThan(0.002);
    });

    it('prints the slides beside the report: 8 to 12 landscape 16:9 pages, a finding\'s chart and the drawing as vector marks', (ctx) => {
      chromiumOrSkip(ctx, { pdftoppm: true });
      const deck = result.files.slides!;
      expect(deck).toBe(path.join(path.dirname(result.files.html), 'slides.pdf'));
      const sizes = pdfPageSizes(deck);
      expect(sizes).toHaveLength(8 + Math.min(FINDING_SLIDES, result.findings.length));
      expect(sizes.length).toBeGreaterThanOrEqual(8);
      expect(sizes.length).toBeLessThanOrEqual(12);
      for (const [w, h] of sizes) expect(w / h).toBeCloseTo(16 / 9, 2);
      expect(pdfImages(deck, 1, sizes.length)).toBe(0);
      const texts = pdfTexts(deck);
      const pages = pdfPages(deck, 50);
      expect(pages).toHaveLength(sizes.length);
      const top = result.findings[0];
      const finding = texts.findIndex((t) => t.includes(`FINDING 1 OF ${result.findings.length}`));
      // the chart's own text (its axis title and the baseline's bar) and its coloured bars
      expect(texts[finding]).toContain(`${top.baseline}\n`);
      expect(texts[finding]).toContain(`n = ${top.n.toLocaleString('en-US')}`);
      expect(texts[finding]).toContain('Action: ');
      expect(colouredShare(pages[finding])).toBeGreaterThan(0.01);
      const drawing = texts.findIndex((t) => t.includes('THE IDEAL PIPELINE'));
      expectDrawn(texts[drawing], [PIPELINE_SOURCES[0]]);
      expect(colouredShare(pages[drawing])).toBeGreaterThan(0.002);
    });

    it('is what `journey report --json --include-suspicious` prints, with the payload groups in the analysis', async () => {
      const dir = path.join(out, 'cli');
      const deck = path.join(out, 'cli-deck', 'for-product.pdf');
      const r = await env.cli(['report', '--out', dir, '--json', '--include-suspicious', ...(findChromium() ? ['--slides', deck] : [])]);
      expect(r.code, r.stderr).toBe(0);
      const json = r.json();
      expect(json.files.html).toBe(path.join(dir, 'report.html'));
      // PDF or not follows the machine: without Chromium the report says so and is HTML only
      if (findChromium()) {
        expect(fs.existsSync(json.files.pdf)).toBe(true);
        expect(json.files.slides).toBe(deck);
        expect(fs.existsSync(deck)).toBe(true);
      } else {
        expect(json.files.pdf).toBeUndefined();
      }
      expect(json.clicksAnalysed).toBe(result.clicksAnalysed + result.suspiciousClicks);
      expect(json.findings.find((f: any) => f.dimension === 'device' && f.metric === 'high_score_rate')).toMatchObject({ group: 'mobile' });
      const cliHtml = fs.readFileSync(json.files.html, 'utf8');
      expectOnlyEscaped(cliHtml);
      // now a group of the UI-element chart and table, not only the suspicious-traffic list
      expect(cliHtml.match(/<text[^>]*><title>&lt;img src=x onerror=alert\(1\)&gt;<\/title>/)).not.toBeNull();
    });
  });

  describe('on a mart without a planted effect', () => {
    it('reports no device finding', async () => {
      await loadMart(env, generate(NO_EFFECT, 1));
      const r = await buildReport(env.pool, path.join(out, 'none'), { chromium: null });
      expect(r.clicksAnalysed).toBeGreaterThan(ANALYSED_CLICKS * 0.99);
      expect(r.findings.filter((f) => f.dimension === 'device')).toEqual([]);
    });
  });

  describe('over the bundled real sample', () => {
    let real: TestEnv;
    let result: ReportResult;
    let html: string;

    beforeAll(async () => {
      real = await createTestEnv('report_real');
      const run = await real.cli(['run', '--conversions', SAMPLE.conversions, '--broker', SAMPLE.broker, '--mapping', SAMPLE.mapping, '--batch', 'sample', '--json']);
      expect(run.code, run.stderr).toBe(0);
      result = await buildReport(real.pool, path.join(out, 'real'));
      html = fs.readFileSync(result.files.html, 'utf8');
    });
    afterAll(async () => {
      await real?.close();
    });

    it('analyses the span both sources cover: from the first broker record to the end of the delivery', () => {
      // samples/brokerchooser/README.md: broker records from 2024-04-21 16:15, everything before 2024-05-06
      expect(result.period!.from.toISOString()).toMatch(/^2024-04-21T16:15/);
      expect(result.period!.to.toISOString()).toMatch(/^2024-05-05T23:5/);
    });

    it('lists the coverage and the data-quality figures', () => {
      for (const text of ['Rows per day', 'Rows read, accepted and quarantined', 'Flags in the unified dataset', 'unmapped_category', 'invalid_score', 'Match rate per day', 'Estimated false matches per day', 'Suspicious traffic']) {
        expect(html).toContain(text);
      }
    });

    it('has device, page-category and UI-element findings, shown with their intervals', () => {
      const pct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 2 : 1)}%`;
      for (const dimension of ['device', 'page_category', 'ui_element']) {
        const found = result.findings.filter((f) => f.dimension === dimension);
        expect(found.length, dimension).toBeGreaterThan(0);
        for (const f of found) {
          expect(f.ci[0]).toBeLessThanOrEqual(f.rate);
          expect(f.rate).toBeLessThanOrEqual(f.ci[1]);
          expect(f.pValue).toBeLessThan(0.05);
          expect(html).toContain(`[${pct(f.ci[0])}, ${pct(f.ci[1])}]`);
        }
      }
    });
  });
});
