import path from 'node:path';
import { buildReport } from '../report';
import { JSON_OPTION, requiredOpt, stringOpt, type Command } from './command';
import { openEnvironment } from './environment';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the analysis report (HTML, and PDF and slides where Chromium is installed)',
  help: `usage: journey report --out DIR [--slides FILE] [--include-suspicious] [--json]

Analyses mart.user_journey over the period both sources cover: coverage, data quality, the
funnel from click to valuable user by device, page, UI element, country, hour and weekday,
with 95% intervals, significance tests and ranked findings with action steps. Writes
DIR/report.html (self-contained, the diagrams of docs/ideal-pipeline.md drawn inline),
DIR/report.pdf and DIR/slides.pdf, a 16:9 deck of 8 to 12 slides for the product team, all
drawn and printed by headless Chromium (CHROMIUM_PATH, or chromium on PATH; without one,
HTML only, the diagrams as their Mermaid source).

  --slides FILE          write the deck to FILE instead (an error without Chromium)
  --include-suspicious   analyse clicks flagged suspicious_payload too (default: reported apart)
  --json                 print {files: {html, pdf, slides}, period, clicksAnalysed, suspiciousClicks, findings}`,
  options: { out: { type: 'string' }, slides: { type: 'string' }, 'include-suspicious': { type: 'boolean', default: false }, ...JSON_OPTION },
  async run(values, io) {
    const out = path.resolve(requiredOpt(values, 'out'));
    const slides = stringOpt(values, 'slides');
    const env = await openEnvironment({ temporal: false, log: io.progress });
    try {
      const result = await buildReport(env.pool, out, {
        includeSuspicious: values['include-suspicious'] === true,
        slides: slides === undefined ? undefined : path.resolve(slides),
        log: io.progress,
      });
      if (io.json) {
        io.out(JSON.stringify(result));
        return 0;
      }
      io.out(`report: ${result.files.html}${result.files.pdf ? `\npdf:    ${result.files.pdf}` : ''}${result.files.slides ? `\nslides: ${result.files.slides}` : ''}`);
      io.out(`${result.clicksAnalysed} clicks analysed, ${result.findings.length} significant findings`);
      for (const [i, f] of result.findings.slice(0, 10).entries()) io.out(`${i + 1}. ${f.statement}`);
      return 0;
    } finally {
      await env.close();
    }
  },
};
