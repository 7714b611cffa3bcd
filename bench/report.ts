import type { BackfillBench } from './backfill';
import type { Floor } from './copy-floor';
import type { MatchingBench } from './matching';
import type { NewDayBench } from './new-day';
import type { StatementTime } from './pg-sampler';
import type { PipelineRun } from './pipeline';
import { fixed, int, pct, table } from './table';
import type { StepTime } from './workflow-run';

export interface ScaleRun {
  scale: number;
  days: number;
  clicks: number;
  brokerRecords: number;
  fileBytes: number;
  generateSeconds: number;
  /** 1-minute load average as the pipeline began: other work on the machine slows what follows. */
  loadAverage?: number;
  matching?: MatchingBench;
  floor?: Floor;
  pipeline?: PipelineRun;
  /** What ran on the run's database, sampled each second during the pipeline. */
  postgresProfile?: StatementTime[];
  /** Pipeline wall time over the COPY floor. */
  ratio?: number;
  backfill?: BackfillBench;
  newDay?: NewDayBench;
  /** What crashed, when (part of) the scale could not be measured. */
  error?: string;
}

const STEPS = ['ingest', 'normalize', 'match', 'publish'];
const PROFILE_LINES = 6;

const seconds = (steps: StepTime[] | undefined, step: string) => steps?.find((s) => s.step === step)?.seconds;
const stepSeconds = (steps: StepTime[] | undefined) => STEPS.map((s) => fixed(seconds(steps, s), 1)).join(' / ');
const completed = (p: PipelineRun | undefined) => p?.status === 'completed';

export function formatRuns(runs: ScaleRun[]): string[] {
  const stepNames = [...new Set([...STEPS, ...runs.flatMap((r) => r.pipeline?.steps.map((s) => s.step) ?? [])])];
  const withPipeline = runs.filter((r) => r.pipeline);
  const pipeline = withPipeline.length
    ? table(
        ['scale', 'load', 'clicks', 'broker rows', 'files MB', 'status', 'wall s', 'rows/s', 'worker start MiB', 'worker peak MiB', 'COPY floor s', 'floor ratio', ...stepNames.map((s) => `${s} s`)],
        withPipeline.map((r) => {
          const p = r.pipeline!;
          return [
            `${r.scale}x`,
            fixed(r.loadAverage, 1),
            int(r.clicks),
            int(r.brokerRecords),
            fixed(r.fileBytes / 1e6, 1),
            p.status,
            fixed(p.wallSeconds, 1),
            completed(p) ? int(p.rowsPerSecond) : '-',
            fixed(p.workerStartupPeakMiB, 0),
            fixed(p.workerPeakMiB, 0),
            fixed(r.floor?.seconds, 2),
            fixed(r.ratio, 1),
            ...stepNames.map((s) => fixed(seconds(p.steps, s), 1)),
          ];
        }),
      )
    : [];
  const shares = withPipeline.length
    ? [
        '',
        "each step's share of the pipeline's wall time (orchestration: the rest, scheduling and workflow tasks):",
        ...table(
          ['scale', 'wall s', 'floor ratio', ...stepNames, 'orchestration'],
          withPipeline.map((r) => {
            const p = r.pipeline!;
            return [`${r.scale}x`, fixed(p.wallSeconds, 1), fixed(r.ratio, 1), ...stepNames.map((s) => pct(seconds(p.steps, s), p.wallSeconds)), pct(p.overheadSeconds, p.wallSeconds)];
          }),
        ),
      ]
    : [];
  return [...pipeline, ...shares, ...formatMatching(runs), ...formatBackfills(runs), ...formatNewDays(runs), ...formatProfiles(runs), ...formatNotes(runs)];
}

function formatMatching(runs: ScaleRun[]): string[] {
  const measured = runs.filter((r) => r.matching);
  if (!measured.length) return [];
  return [
    '',
    `matching (estimateModel + matchRecords in one process, ${measured[0].matching!.mode}):`,
    ...table(
      ['scale', 'clicks', 'broker rows', 'candidate pairs', 'estimate s', 'match s', 'pairs/s', 'peak RSS MiB'],
      measured.map((r) => {
        const m = r.matching!;
        return [`${r.scale}x`, int(m.clicks), int(m.brokers), int(m.candidatePairs), fixed(m.estimateSeconds, 2), fixed(m.matchSeconds, 2), int(m.pairsPerSecond), fixed(m.peakRssMiB, 0)];
      }),
    ),
  ];
}

function formatBackfills(runs: ScaleRun[]): string[] {
  const measured = runs.filter((r) => r.backfill?.runs.length);
  if (!measured.length) return [];
  return [
    '',
    `backfill: \`journey backfill\` of the landing zone, the one run's rows in daily batches (step seconds summed over the days, which overlap):`,
    ...table(
      ['scale', 'workers', 'status', 'days', 'rows', 'wall s', 'one run s', 'backfill / one run', 'floor ratio', 'ingest / normalize / match / publish s', 'steps per worker', 'worker peak MiB'],
      measured.flatMap((r) =>
        r.backfill!.runs.map((b) => [
          `${r.scale}x`,
          String(b.workers),
          b.status,
          `${b.days}${b.failedDays ? ` (+${b.failedDays} failed)` : ''}`,
          int(b.rows),
          fixed(b.wallSeconds, 1),
          fixed(r.pipeline?.wallSeconds, 1),
          fixed(b.overOneRun, 2),
          fixed(b.overFloor, 0),
          stepSeconds(b.steps),
          b.byWorker.map((w) => w.steps).join(' + '),
          b.workerPeakMiB.map((m) => m.toFixed(0)).join(' + '),
        ]),
      ),
      3,
    ),
    ...measured.map((r) => `${r.scale}x backfill with two workers / with one: ${fixed(r.backfill!.twoWorkersOverOne, 2)}`),
  ];
}

function formatNewDays(runs: ScaleRun[]): string[] {
  const measured = runs.filter((r) => r.newDay);
  if (!measured.length) return [];
  return [
    '',
    "one new day into the history: every day but the last as one run, then the last day's batch alone:",
    ...table(
      ['scale', 'day', 'history days', 'history wall s', 'status', 'day rows', 'day wall s', 'full run s', 'day / full run', 'day floor s', 'day floor ratio', 'ingest / normalize / match / publish s'],
      measured.map((r) => {
        const n = r.newDay!;
        const d = n.newDay;
        return [
          `${r.scale}x`,
          n.day,
          String(n.historyDays),
          fixed(n.history.wallSeconds, 1),
          d?.status ?? `history ${n.history.status}`,
          int(d?.rows),
          fixed(d?.wallSeconds, 1),
          fixed(r.pipeline?.wallSeconds, 1),
          fixed(n.overFullRun, 3),
          fixed(n.dayFloor?.seconds, 3),
          fixed(n.overFloor, 0),
          stepSeconds(d?.steps),
        ];
      }),
      2,
    ),
  ];
}

function formatProfiles(runs: ScaleRun[]): string[] {
  const profiles = runs.flatMap((r) => [
    { label: `${r.scale}x`, profile: r.postgresProfile },
    ...(r.backfill?.runs ?? []).map((b) => ({ label: `${r.scale}x backfill ${b.workers}w`, profile: b.postgresProfile })),
    { label: `${r.scale}x new day`, profile: r.newDay?.postgresProfile },
  ]).filter((p) => p.profile?.length);
  if (!profiles.length) return [];
  const width = Math.max(...profiles.map((p) => p.label.length));
  return [
    '',
    `where the time went (statements on the run's database, sampled each second; top ${PROFILE_LINES}):`,
    ...profiles.flatMap(({ label, profile }) => profile!.slice(0, PROFILE_LINES).map((p) => `  ${label.padEnd(width)} ${p.seconds.toFixed(0).padStart(6)} s  ${p.statement}`)),
  ];
}

function formatNotes(runs: ScaleRun[]): string[] {
  const failed = (label: string, run: { status: string; error?: string } | undefined) =>
    run?.error ? [`${label} ${run.status}: ${run.error}`] : [];
  const notes = runs.flatMap((r) => [
    ...(r.error ? [`${r.scale}x crashed: ${r.error}`] : []),
    ...failed(`${r.scale}x pipeline`, r.pipeline),
    ...(r.backfill?.runs ?? []).flatMap((b) => failed(`${r.scale}x backfill with ${b.workers} workers`, b)),
    ...failed(`${r.scale}x new day's history`, r.newDay?.history),
    ...failed(`${r.scale}x new day`, r.newDay?.newDay),
    ...(r.pipeline?.inFlight ?? []).map(
      (a) =>
        `${r.scale}x stopped in ${a.activity} after ${a.stepSeconds.toFixed(0)} s in that step, attempt ${a.attempt}` +
        `${a.lastFailure ? `, previous attempt failed: ${a.lastFailure}` : ''}${a.progress ? `, last progress ${JSON.stringify(a.progress)}` : ''}`,
    ),
  ]);
  return notes.length ? ['', ...notes] : [];
}
