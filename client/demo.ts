import path from 'node:path';
import fs from 'node:fs';
import { exportCsv } from '../activities/publish/export';
import { sampleFiles } from '../infra/paths';
import { buildReport } from '../report';
import { BatchFailed, formatSummary, runBatch } from './batch-runner';
import { EXIT, JSON_OPTION, type Command } from './command';
import { openEnvironment } from './environment';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'zero-config demo (npm start): embedded servers, one run over the bundled sample',
  help: `usage: journey demo [--serve] [--json]        (what \`npm start\` runs)

Starts what the environment does not provide (an embedded PostgreSQL under .data/pg and a
Temporal dev server from the \`temporal\` CLI, UI on :8233), runs one batch over the bundled
sample (samples/brokerchooser), prints the summary, exports the dataset, writes the report
(HTML, and PDF and slides where Chromium is installed) and says where everything is. --serve keeps the servers and a worker up until Ctrl-C.`,
  options: { serve: { type: 'boolean', default: false }, ...JSON_OPTION },
  async run(values, io) {
    const env = await openEnvironment({ temporal: true, withWorker: true, log: io.progress });
    try {
      const files = sampleFiles();
      let summary;
      try {
        summary = await runBatch(env, { batchId: 'sample', files }, io.progress, io.terminal);
      } catch (e) {
        if (e instanceof BatchFailed) for (const line of formatSummary(e.summary)) io.progress(line);
        throw e;
      }
      const exportDir = path.join(env.config.dataDir, 'export');
      fs.mkdirSync(exportDir, { recursive: true });
      const exported = path.join(exportDir, 'user_journey.csv');
      const rows = await exportCsv(env.pool, exported, {});
      // Without Chromium the report is HTML only (no PDF, no slides), and buildReport says so in one line.
      const report = await buildReport(env.pool, path.join(env.config.dataDir, 'report'), { log: io.progress });
      if (io.json) io.out(JSON.stringify({ ...summary, export: exported, exportedRows: rows, report: report.files }));
      else {
        for (const line of formatSummary(summary)) io.out(line);
        io.out('');
        io.out(`dataset     mart.user_journey in ${env.databaseLabel}`);
        io.out(`export      ${exported} (${rows} rows)`);
        io.out(`report      ${report.files.html}${report.files.pdf ? ` · ${report.files.pdf}` : ''} (${report.findings.length} findings)`);
        if (report.files.slides) io.out(`slides      ${report.files.slides}`);
        io.out(`Temporal UI ${env.temporal?.uiUrl ?? env.temporal?.address} (workflow batch-sample)`);
        io.out(`next        npx journey status · npx journey export --out FILE.csv · npm start -- --serve`);
      }
      if (values.serve) {
        io.progress(`serving: Temporal UI at ${env.temporal?.uiUrl}; Ctrl-C to stop`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      }
      return EXIT.ok;
    } finally {
      await env.close();
    }
  },
};
