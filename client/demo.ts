import path from 'node:path';
import fs from 'node:fs';
import { exportCsv } from '../activities/publish/export';
import { sampleFiles } from '../infra/paths';
import { splitIntoDays } from '../infra/sample-landing';
import { buildReport } from '../report';
import { BatchFailed, formatSummary, runBatch } from './batch-runner';
import { EXIT, JSON_OPTION, type Command } from './command';
import { openEnvironment, type Environment } from './environment';
import { DEFAULT_SCHEDULE_ID, nominalTimes, pausedDailySchedule } from './schedule';

const SCHEDULE_NOTE = 'paused by journey demo --serve: start a backfill of a few days from this page';

/**
 * The bundled sample as a landing zone of daily folders under the data folder, and the daily
 * schedule on it, paused: nothing runs until a person backfills days from the Temporal UI
 * (each run processes the day before its nominal time).
 */
async function serveSchedule(env: Environment): Promise<{ landing: string; days: string[]; schedule: string; scheduleUrl?: string }> {
  const t = env.temporal!;
  const landing = path.join(env.config.dataDir, 'landing');
  const days = splitIntoDays(landing);
  await pausedDailySchedule(t.client, DEFAULT_SCHEDULE_ID, landing, t.taskQueue, SCHEDULE_NOTE);
  const scheduleUrl = t.uiUrl && `${t.uiUrl}/namespaces/${env.config.namespace}/schedules/${DEFAULT_SCHEDULE_ID}`;
  return { landing, days, schedule: DEFAULT_SCHEDULE_ID, ...(scheduleUrl ? { scheduleUrl } : {}) };
}

/** 2024-04-02 00:00, as the UI's date and time fields take it. */
const utc = (t: Date) => t.toISOString().slice(0, 16).replace('T', ' ');

export const demoCommand: Command = {
  name: 'demo',
  summary: 'zero-config demo (npm start): embedded servers, one run over the bundled sample',
  help: `usage: journey demo [--serve] [--json]        (what \`npm start\` runs)

Starts what the environment does not provide (an embedded PostgreSQL under .data/pg and a
Temporal dev server from the \`temporal\` CLI, UI on :8233), runs one batch over the bundled
sample (samples/brokerchooser), prints the summary, exports the dataset, writes the report
(HTML, and PDF and slides where Chromium is installed) and says where everything is.

  --serve   also lay the sample out as a landing zone of daily folders (.data/landing) and
            create the daily schedule (journey-daily) on it, paused; then keep the servers
            and a worker up until Ctrl-C. Open the schedule in the Temporal UI and start a
            backfill of a few days: each day's batch appears as batch-<day>.`,
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
      const served = values.serve ? await serveSchedule(env) : undefined;
      if (io.json) io.out(JSON.stringify({ ...summary, export: exported, exportedRows: rows, report: report.files, ...(served ? { serve: served } : {}) }));
      else {
        for (const line of formatSummary(summary)) io.out(line);
        io.out('');
        io.out(`dataset     mart.user_journey in ${env.databaseLabel}`);
        io.out(`export      ${exported} (${rows} rows)`);
        io.out(`report      ${report.files.html}${report.files.pdf ? ` · ${report.files.pdf}` : ''} (${report.findings.length} findings)`);
        if (report.files.slides) io.out(`slides      ${report.files.slides}`);
        io.out(`Temporal UI ${env.temporal?.uiUrl ?? env.temporal?.address} (workflow batch-sample)`);
        if (served) {
          const [first, , third] = served.days;
          const { start, end } = nominalTimes(first, third);
          io.out(`landing     ${served.landing}: ${served.days.length} daily folders, ${first}..${served.days.at(-1)}`);
          io.out(`schedule    ${served.schedule} (paused) ${served.scheduleUrl ?? ''}`.trimEnd());
          io.out(`backfill    on its page: Backfill from ${utc(start)} to ${utc(end)} UTC runs the days ${first}..${third}`);
        }
        io.out(`next        npx journey status · npx journey export --out FILE.csv${served ? '' : ' · npm start -- --serve'}`);
      }
      if (served) {
        io.progress(`serving: Temporal UI at ${env.temporal?.uiUrl ?? env.temporal?.address}; Ctrl-C to stop`);
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
