import path from 'node:path';
import fs from 'node:fs';
import { backfillWorkflow, DEFAULT_CONCURRENCY } from '../workflows';
import { backfillWorkflowId } from '../workflows/ids';
import { watchBackfill } from './backfill-progress';
import { formatSummary } from './batch-runner';
import { dayRange, EXIT, JSON_OPTION, requiredOpt, stringOpt, UsageError, type Command } from './command';
import { openEnvironment } from './environment';

export const backfillCommand: Command = {
  name: 'backfill',
  summary: 'one batch per day found in the landing zone, as child workflows',
  help: `usage: journey backfill --landing DIR --from YYYY-MM-DD --to YYYY-MM-DD [--concurrency N] [--with-worker] [--json]

Starts the backfill workflow: one child batch \`batch-<day>\` per day folder of DIR in the range
(inclusive) that holds a delivery. The days are staged (ingest, normalize) --concurrency at a time
(default ${DEFAULT_CONCURRENCY}; more workers share them), then matched and published together, once, as one run
over the same files would be. A line on stderr per day staged and done (on a terminal, a live
line of the days done, staged and in flight).
Days already processed with unchanged files are no-ops; a corrected file replaces what its
predecessor contributed. Prints each day's summary; --json prints {status, days: [...]}.`,
  options: {
    landing: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    concurrency: { type: 'string' },
    'with-worker': { type: 'boolean', default: false },
    ...JSON_OPTION,
  },
  async run(values, io) {
    const landing = path.resolve(requiredOpt(values, 'landing'));
    const { from, to } = dayRange(values, true);
    if (!fs.existsSync(landing)) throw new UsageError(`landing zone ${landing} does not exist`);
    const concurrency = Number(stringOpt(values, 'concurrency') ?? DEFAULT_CONCURRENCY);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError('--concurrency must be a positive integer');

    const env = await openEnvironment({ temporal: true, withWorker: values['with-worker'] === true, log: io.progress });
    try {
      const t = env.temporal!;
      const handle = await t.client.workflow.start(backfillWorkflow, {
        taskQueue: t.taskQueue,
        workflowId: backfillWorkflowId(from, to),
        args: [{ landing, from, to, concurrency }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { landing, from, to },
      });
      io.progress(`backfill ${from}..${to} of ${landing}: workflow ${handle.workflowId}`);
      const watcher = watchBackfill(t.client, handle.workflowId, io.progress, io.terminal);
      const days = await handle.result().finally(() => watcher.stop());
      const failed = days.filter((d) => d.status === 'failed');
      const cancelled = days.filter((d) => d.status === 'cancelled');
      const status = failed.length ? 'failed' : cancelled.length ? 'cancelled' : 'completed';
      if (io.json) io.out(JSON.stringify({ status, days: days.map((d) => d.summary ?? { batch: d.day, status: d.status, ...(d.error ? { error: d.error } : {}) }) }));
      else {
        if (days.length === 0) io.out(`no deliveries in ${landing} between ${from} and ${to}`);
        for (const d of days) for (const line of d.summary ? formatSummary(d.summary) : [`batch ${d.day}: ${d.status}${d.error ? ` — ${d.error}` : ''}`]) io.out(line);
      }
      for (const [how, some] of [['failed', failed], ['cancelled', cancelled]] as const) {
        if (some.length) io.progress(`${some.length} of ${days.length} days ${how}: ${some.map((d) => d.day).join(', ')}`);
      }
      // A cancelled day is not done, as a cancelled `run` is not: exit 1.
      if (failed.length === 0 && cancelled.length === 0) return EXIT.ok;
      return cancelled.length === 0 && failed.every((d) => d.rejected) ? EXIT.rejected : EXIT.failed;
    } finally {
      await env.close();
    }
  },
};
