import path from 'node:path';
import { exportCsv } from '../activities/publish/export';
import { dayRange, JSON_OPTION, requiredOpt, UsageError, type Command } from './command';
import { openEnvironment } from './environment';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the unified dataset (mart.user_journey) as CSV',
  help: `usage: journey export --out FILE.csv [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Writes mart.user_journey with the columns of docs/interface.md, ordered by time. --from and
--to (inclusive, UTC) select by click time, or registration time for broker-only rows.`,
  options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, ...JSON_OPTION },
  async run(values, io) {
    const out = requiredOpt(values, 'out');
    if (out.endsWith('.parquet')) throw new UsageError('Parquet export is not supported by this build; write .csv');
    const range = dayRange(values);
    const env = await openEnvironment({ temporal: false, log: io.progress });
    try {
      const file = path.resolve(out);
      const rows = await exportCsv(env.pool, file, range);
      io.progress(`wrote ${rows} rows to ${file}`);
      if (io.json) io.out(JSON.stringify({ file, rows }));
      return 0;
    } finally {
      await env.close();
    }
  },
};
