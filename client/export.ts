import path from 'node:path';
import { exportCsv } from '../activities/publish/export';
import { exportParquet } from '../activities/publish/export-parquet';
import { dayRange, JSON_OPTION, requiredOpt, type Command } from './command';
import { openEnvironment } from './environment';

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the unified dataset (mart.user_journey) as CSV or Parquet',
  help: `usage: journey export --out FILE.csv|FILE.parquet [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]

Writes mart.user_journey with the columns of docs/interface.md, ordered by time. --from and
--to (inclusive, UTC) select by click time, or registration time for broker-only rows.
A FILE ending in .parquet is written as Parquet with the columns' types (UTC timestamps,
booleans, integers, doubles, nulls, flags as a list of strings); any other name as CSV.`,
  options: { out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, ...JSON_OPTION },
  async run(values, io) {
    const out = requiredOpt(values, 'out');
    const range = dayRange(values);
    const write = out.endsWith('.parquet') ? exportParquet : exportCsv;
    const env = await openEnvironment({ temporal: false, log: io.progress });
    try {
      const file = path.resolve(out);
      const rows = await write(env.pool, file, range);
      io.progress(`wrote ${rows} rows to ${file}`);
      if (io.json) io.out(JSON.stringify({ file, rows }));
      return 0;
    } finally {
      await env.close();
    }
  },
};
