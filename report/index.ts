import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { projectRoot } from '../infra/paths';
import { drawMermaid } from './drawings';
import { analyse, DEFAULT_ANALYSIS, type Finding } from './findings';
import { listedUnder, markdownToHtml, mermaidSources } from './markdown';
import { findChromium, printPdf } from './pdf';
import { coverage, daily, groupCounts, lag, quality, scores, suspicious, type Period } from './queries';
import { render, type ReportModel } from './render';
import { renderSlides, type DeckInput } from './slides';

export interface ReportOptions {
  /** Analyse the clicks flagged `suspicious_payload` too (they are reported separately either way). */
  includeSuspicious?: boolean;
  /** important_score at or above this is a high score. */
  highScoreMin?: number;
  minGroupSize?: number;
  alpha?: number;
  /** The Chromium to print with; null for HTML only; by default findChromium(). */
  chromium?: string | null;
  /** Markdown shown as the appendix; its first Mermaid drawing is the deck's ideal pipeline. */
  pipelineDoc?: string;
  /**
   * Where the slides go: by default slides.pdf in the report's folder where Chromium is
   * installed; null for none. A file named here without Chromium is an error.
   */
  slides?: string | null;
  log?: (line: string) => void;
}

export interface ReportResult {
  files: { html: string; pdf?: string; slides?: string };
  period: Period | null;
  clicksAnalysed: number;
  suspiciousClicks: number;
  findings: Finding[];
}

/**
 * Above 10, the entry value that most non-zero scores of the delivered data share: a
 * threshold at 10 would make "high score" the same as "score > 0".
 */
const HIGH_SCORE_MIN = 11;

const PIPELINE_DOC = path.join(projectRoot(__dirname), 'docs', 'ideal-pipeline.md');

/**
 * Queries the mart, analyses, writes report.html into outDir and, where Chromium is installed,
 * draws the pipeline document's diagrams and prints report.pdf and the slides.
 */
export async function buildReport(pool: Pool, outDir: string, opts: ReportOptions = {}): Promise<ReportResult> {
  const log = opts.log ?? (() => {});
  const chromium = opts.chromium === undefined ? findChromium() : opts.chromium;
  if (!chromium && typeof opts.slides === 'string') throw new Error(`the slides need Chromium (set CHROMIUM_PATH, or install the chromium package): no ${opts.slides} written`);
  const settings = {
    includeSuspicious: opts.includeSuspicious ?? false,
    highScoreMin: opts.highScoreMin ?? HIGH_SCORE_MIN,
    minGroupSize: opts.minGroupSize ?? DEFAULT_ANALYSIS.minGroupSize,
    alpha: opts.alpha ?? DEFAULT_ANALYSIS.alpha,
  };
  const cov = await coverage(pool);
  let analysed: ReportModel['analysed'] = null;
  if (cov.overlap) {
    const population = { ...cov.overlap, includeSuspicious: settings.includeSuspicious, highScoreMin: settings.highScoreMin };
    analysed = {
      period: cov.overlap,
      analysis: analyse(await groupCounts(pool, population), settings),
      lag: await lag(pool, population),
      scores: await scores(pool, population),
      suspicious: await suspicious(pool, cov.overlap, 8),
    };
  }
  const docFile = opts.pipelineDoc ?? PIPELINE_DOC;
  const doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : null;
  const sources = doc ? mermaidSources(doc) : [];
  const svgs = chromium ? await drawMermaid(chromium, sources) : [];
  const model: ReportModel = {
    generatedAt: new Date(),
    coverage: cov,
    days: await daily(pool),
    quality: await quality(pool, 10),
    analysed,
    settings,
    appendix: doc ? { html: markdownToHtml(doc, { headingOffset: 1, drawings: new Map(svgs.map((svg, i) => [sources[i], svg])) }) } : { missing: `${docFile} is missing` },
  };

  fs.mkdirSync(outDir, { recursive: true });
  const files: ReportResult['files'] = { html: path.resolve(outDir, 'report.html') };
  fs.writeFileSync(files.html, render(model));
  log(`wrote ${files.html}`);
  if (chromium) {
    files.pdf = path.resolve(outDir, 'report.pdf');
    await printPdf(chromium, files.html, files.pdf);
    log(`printed ${files.pdf}`);
    if (opts.slides !== null) {
      files.slides = path.resolve(opts.slides ?? path.join(outDir, 'slides.pdf'));
      const deck: DeckInput = {
        drawing: svgs[0] ? { svg: svgs[0] } : { missing: `${docFile} has no Mermaid drawing` },
        recommendations: doc ? listedUnder(doc, 'Recommendations') : [],
      };
      await printSlides(chromium, renderSlides(model, deck), files.slides);
      log(`printed ${files.slides}`);
    }
  } else {
    log('no Chromium found (set CHROMIUM_PATH, or install the chromium package): HTML only, its diagrams as Mermaid source');
  }
  return {
    files,
    period: cov.overlap,
    clicksAnalysed: analysed?.analysis.overall.counts.clicks ?? 0,
    suspiciousClicks: analysed?.suspicious.clicks ?? 0,
    findings: analysed?.analysis.findings ?? [],
  };
}

/** The deck's HTML is only a step to its PDF, so it is printed from a folder of its own and not kept. */
async function printSlides(chromium: string, htmlText: string, pdfFile: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-slides-'));
  try {
    const htmlFile = path.join(dir, 'slides.html');
    fs.writeFileSync(htmlFile, htmlText);
    fs.mkdirSync(path.dirname(pdfFile), { recursive: true });
    await printPdf(chromium, htmlFile, pdfFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
