import { parseArgs } from 'node:util';
import type { PostgresChoice } from './servers';

export const PARTS = ['pipeline', 'matching', 'backfill', 'newday'] as const;
export type Part = (typeof PARTS)[number];

/** The largest scale each part runs at: where issue 3 (matching) and issue 11 (backfill, new day) ask for it. */
const MAX_SCALE: Record<Part, number> = { pipeline: Infinity, matching: 10, backfill: 1, newday: 10 };

export const USAGE = `usage: npm run bench -- [--only ${PARTS.join(',')}] [--scales 1,10,100] [--days 35]
                        [--postgres machine|embedded] [--quick] [--keep] [--seed 1] [--timeout-min 30]

Generates data at each scale and measures, each part on a fresh database with worker processes
of its own (\`journey worker\`), on a private Temporal dev server and PostgreSQL (--postgres):

  pipeline   the whole period as one batch (workflow, four activities): wall time, each step's
             share of it, worker peak RSS, and PostgreSQL's plain COPY of the same files (the floor)
  matching   estimateModel + matchRecords alone on the whole period, up to 10x
  backfill   \`journey backfill\` of the same rows as a landing zone of daily folders, with one and
             with two workers, against the pipeline run (one run over the same files); 1x only
  newday     all days but the last as one run, then the last day's batch alone, against the
             pipeline run; up to 10x

backfill and newday run the pipeline part too at their scales: it is their yardstick. Progress
goes to stderr, the tables to stdout, and the run (machine, commit, PostgreSQL server and its
settings, figures) is appended to the history in bench/results.json. Slow is a figure, never a
failure: the exit code is 1 only when something crashed, 2 for a usage error.

  --only LIST       parts to run (default all)
  --scales LIST     volumes relative to the real data (default 1,10,100)
  --days N          days of data per scale (default 35)
  --postgres P      machine: the machine's PostgreSQL (default; BENCH_DATABASE_URL names another,
                    and an embedded one starts when there is none); embedded: one the bench starts
                    on a port of its own with the settings \`npm start\` uses (infra/postgres-settings.ts)
  --quick           1x only
  --keep            keep the generated files (their directory is printed)
  --seed N          generator seed (default 1)
  --timeout-min N   stop a workflow run after N minutes and report it as such (default 30)`;

export class UsageError extends Error {}

export interface Options {
  scales: number[];
  parts: Set<Part>;
  days: number;
  postgres: PostgresChoice;
  keep: boolean;
  seed: number;
  timeoutMs: number;
}

/** The options, or null when --help asks for the usage. */
export function parseOptions(argv: string[]): Options | null {
  const { values } = parseUsage(() =>
    parseArgs({
      args: argv,
      options: {
        only: { type: 'string', default: PARTS.join(',') },
        scales: { type: 'string', default: '1,10,100' },
        days: { type: 'string', default: '35' },
        postgres: { type: 'string', default: 'machine' },
        quick: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        seed: { type: 'string', default: '1' },
        'timeout-min': { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }),
  );
  if (values.help) return null;
  const positive = (name: string, raw: string) => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name} must be a positive number, got '${raw}'`);
    return v;
  };
  const parts = new Set(
    values.only.split(',').map((p) => {
      const part = p.trim() as Part;
      if (!PARTS.includes(part)) throw new UsageError(`--only takes ${PARTS.join(', ')}; got '${p}'`);
      return part;
    }),
  );
  if (values.postgres !== 'machine' && values.postgres !== 'embedded') throw new UsageError(`--postgres takes machine or embedded; got '${values.postgres}'`);
  const scales = values.quick ? [1] : values.scales.split(',').map((s) => positive('scales', s.trim()));
  return {
    scales: [...new Set(scales)].sort((a, b) => a - b),
    parts,
    days: positive('days', values.days),
    postgres: values.postgres,
    keep: values.keep,
    seed: positive('seed', values.seed),
    timeoutMs: positive('timeout-min', values['timeout-min']) * 60_000,
  };
}

/** parseArgs's own errors (an unknown option, a missing value) are usage errors too. */
function parseUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The chosen parts that run at this scale, with the pipeline wherever a backfill or new day needs it as yardstick. */
export function partsAt(opts: Options, scale: number): Set<Part> {
  const parts = new Set([...opts.parts].filter((p) => scale <= MAX_SCALE[p]));
  if (parts.has('backfill') || parts.has('newday')) parts.add('pipeline');
  return parts;
}
