import type { Analysis } from './findings';
import type { Coverage, Day, Lag, Period, Quality, Scores, Suspicious } from './queries';

/** Everything the report shows; render() turns it into one self-contained HTML page, and renderSlides() into a deck. */
export interface ReportModel {
  generatedAt: Date;
  coverage: Coverage;
  days: Day[];
  quality: Quality;
  /** Null when the sources share no period: there is nothing to analyse. */
  analysed: Analysed | null;
  settings: { includeSuspicious: boolean; highScoreMin: number; minGroupSize: number; alpha: number };
  /** docs/ideal-pipeline.md as HTML, or why it is missing. */
  appendix: { html: string } | { missing: string };
}

export interface Analysed {
  period: Period;
  analysis: Analysis;
  lag: Lag;
  scores: Scores;
  suspicious: Suspicious;
}
