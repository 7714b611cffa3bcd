import type { Floor } from './copy-floor';
import type { MatchingBench } from './matching';
import type { StatementTime } from './pg-sampler';
import type { PipelineRun } from './pipeline';

export interface ScaleRun {
  scale: number;
  days: number;
  clicks: number;
  brokerRecords: number;
  fileBytes: number;
  generateSeconds: number;
  matching?: MatchingBench;
  floor?: Floor;
  pipeline?: PipelineRun;
  /** What ran on the run's database, sampled each second during the pipeline. */
  postgresProfile?: StatementTime[];
  /** Pipeline wall time over the COPY floor. */
  ratio?: number;
  /** What crashed, when the scale could not be measured. */
  error?: string;
}

export interface Acceptance {
  issue: string;
  point: string;
  measured: string;
  bar: string;
  verdict: 'ok' | 'over' | 'not measured';
}

const GIB_MIB = 1024;
const PROFILE_LINES = 6;

const fixed = (v: number | undefined, digits: number) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));
const int = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '-' : Math.round(v).toLocaleString('en-US'));

/** The first `left` columns are text, the rest numbers (right-aligned). */
function table(head: string[], rows: string[][], left = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

export function formatRuns(runs: ScaleRun[]): string[] {
  const stepNames = [...new Set(runs.flatMap((r) => r.pipeline?.steps.map((s) => s.step) ?? []))];
  const pipeline = table(
    ['scale', 'clicks', 'broker rows', 'files MB', 'status', 'wall s', 'rows/s', 'worker start MiB', 'worker peak MiB', 'COPY floor s', 'ratio', 'overhead %', ...stepNames.map((s) => `${s} s`)],
    runs.map((r) => {
      const p = r.pipeline;
      return [
        `${r.scale}x`,
        int(r.clicks),
        int(r.brokerRecords),
        fixed(r.fileBytes / 1e6, 1),
        r.error ? 'crashed' : p?.status ?? '-',
        fixed(p?.wallSeconds, 1),
        p?.status === 'completed' ? int(p.rowsPerSecond) : '-',
        fixed(p?.workerStartupPeakMiB, 0),
        fixed(p?.workerPeakMiB, 0),
        fixed(r.floor?.seconds, 2),
        fixed(r.ratio, 1),
        p?.status === 'completed' ? fixed(p.overheadPct, 1) : '-',
        ...stepNames.map((s) => fixed(p?.steps.find((x) => x.step === s)?.seconds, 1)),
      ];
    }),
  );
  const measured = runs.filter((r) => r.matching);
  const matching = measured.length
    ? [
        '',
        `matching (estimateModel + matchRecords in one process, ${measured[0].matching!.mode}):`,
        ...table(
          ['scale', 'clicks', 'broker rows', 'candidate pairs', 'estimate s', 'match s', 'pairs/s', 'peak RSS MiB'],
          measured.map((r) => {
            const m = r.matching!;
            return [`${r.scale}x`, int(m.clicks), int(m.brokers), int(m.candidatePairs), fixed(m.estimateSeconds, 2), fixed(m.matchSeconds, 2), int(m.pairsPerSecond), fixed(m.peakRssMiB, 0)];
          }),
        ),
      ]
    : [];
  const profiles = runs.filter((r) => r.postgresProfile?.length);
  const profile = profiles.length
    ? [
        '',
        `where the pipeline's time went (statements on its database, sampled each second; top ${PROFILE_LINES}):`,
        ...profiles.flatMap((r) => r.postgresProfile!.slice(0, PROFILE_LINES).map((p) => `  ${`${r.scale}x`.padEnd(5)} ${p.seconds.toFixed(0).padStart(6)} s  ${p.statement}`)),
      ]
    : [];
  const notes = runs.flatMap((r) => [
    ...(r.error ? [`${r.scale}x crashed: ${r.error}`] : []),
    ...(r.pipeline?.error ? [`${r.scale}x pipeline ${r.pipeline.status}: ${r.pipeline.error}`] : []),
    ...(r.pipeline?.inFlight ?? []).map(
      (a) =>
        `${r.scale}x stopped in ${a.activity} after ${a.stepSeconds.toFixed(0)} s in that step, attempt ${a.attempt}` +
        `${a.lastFailure ? `, previous attempt failed: ${a.lastFailure}` : ''}${a.progress ? `, last progress ${JSON.stringify(a.progress)}` : ''}`,
    ),
  ]);
  return [...pipeline, ...matching, ...profile, ...(notes.length ? ['', ...notes] : [])];
}

export function acceptance(runs: ScaleRun[]): Acceptance[] {
  const at = (scale: number) => runs.find((r) => r.scale === scale);
  // A run stopped early (timeout, dead worker) gives lower bounds: enough to say "over", never "ok".
  const check = (issue: string, point: string, bar: string, limit: number, show: (v: number) => string,
    value: number | undefined, complete: boolean, strict = false): Acceptance => {
    const within = value !== undefined && (strict ? value < limit : value <= limit);
    const verdict = value === undefined || (within && !complete) ? 'not measured' : within ? 'ok' : 'over';
    return { issue, point, bar, measured: value === undefined ? '-' : `${complete ? '' : '>= '}${show(value)}`, verdict };
  };
  const completed = (scale: number) => at(scale)?.pipeline?.status === 'completed';
  const wall = (scale: number) => at(scale)?.pipeline?.wallSeconds;
  const m10 = at(10)?.matching;
  const wall10 = wall(10);
  const wall100 = wall(100);
  const mib = (v: number) => `${v.toFixed(0)} MiB`;
  const times = (v: number) => `${v.toFixed(1)}x`;
  return [
    check('3', 'matching peak memory at 10x', `<= ${GIB_MIB} MiB`, GIB_MIB, mib, m10?.peakRssMiB, true),
    check('6.1', 'pipeline / COPY floor at 10x', '<= 6', 6, times, at(10)?.ratio, completed(10)),
    check('6.2', 'wall 100x / wall 10x', '<= 12', 12, times,
      wall10 !== undefined && wall100 !== undefined && completed(10) ? wall100 / wall10 : undefined, completed(100)),
    check('6.3', 'worker peak RSS at 100x', `< ${GIB_MIB} MiB`, GIB_MIB, mib, at(100)?.pipeline?.workerPeakMiB, completed(100), true),
    check('6.4', 'orchestration overhead at 1x', '< 15 %', 15, (v) => `${v.toFixed(1)} %`, at(1)?.pipeline?.overheadPct, completed(1), true),
  ];
}

export function formatAcceptance(points: Acceptance[]): string[] {
  return [
    'acceptance (informational):',
    ...table(
      ['issue', 'point', 'measured', 'bar', 'verdict'],
      points.map((a) => [a.issue, a.point, a.measured, a.bar, a.verdict]),
      5,
    ),
  ];
}
