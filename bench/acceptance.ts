import type { ScaleRun } from './report';
import { table } from './table';

export interface Acceptance {
  issue: string;
  point: string;
  measured: string;
  bar: string;
  verdict: 'ok' | 'over' | 'not measured';
}

const GIB_MIB = 1024;

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
  const growth = wall10 !== undefined && wall100 !== undefined && completed(10) ? wall100 / wall10 : undefined;
  const backfill = at(1)?.backfill;
  const backfillWith = (workers: number) => backfill?.runs.find((b) => b.workers === workers);
  const backfilled = (workers: number) => completed(1) && backfillWith(workers)?.status === 'completed';
  const newDay = at(10)?.newDay;
  const mib = (v: number) => `${v.toFixed(0)} MiB`;
  const times = (v: number) => `${v.toFixed(1)}x`;
  const ratio = (v: number) => v.toFixed(2);
  return [
    check('3', 'matching peak memory at 10x', `<= ${GIB_MIB} MiB`, GIB_MIB, mib, m10?.peakRssMiB, true),
    // Issue 6's bars (10x at 6x the floor, 100x at 12x of 10x) were superseded by issue 11's.
    check('11.3', 'worker peak RSS at 100x', `< ${GIB_MIB} MiB`, GIB_MIB, mib, at(100)?.pipeline?.workerPeakMiB, completed(100), true),
    check('6.4', 'orchestration overhead at 1x', '< 15 %', 15, (v) => `${v.toFixed(1)} %`, at(1)?.pipeline?.overheadPct, completed(1), true),
    check('11.1', 'pipeline / COPY floor at 1x', '<= 25', 25, times, at(1)?.ratio, completed(1)),
    check('11.2', 'pipeline / COPY floor at 10x', '<= 12', 12, times, at(10)?.ratio, completed(10)),
    check('11.3', 'wall 100x / wall 10x', '<= 11', 11, times, growth, completed(100)),
    check('11.4', `backfill of ${at(1)?.days ?? '-'} days / one run at 1x`, '<= 1.5', 1.5, ratio, backfillWith(1)?.overOneRun, backfilled(1)),
    check('11.4', 'backfill two workers / one worker at 1x', '< 1', 1, ratio, backfill?.twoWorkersOverOne, backfilled(1) && backfilled(2), true),
    check('11.5', 'new day / full run at 10x', '<= 0.1', 0.1, ratio, newDay?.overFullRun, completed(10) && newDay?.newDay?.status === 'completed'),
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
