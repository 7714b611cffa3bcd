import path from 'node:path';
import type { BatchFiles } from '../workflows/types';
import { copyFloor, type Floor } from './copy-floor';
import { concatDays, landingDays } from './landing';
import type { StatementTime } from './pg-sampler';
import { runPipeline, type PipelineRun } from './pipeline';
import type { Workspace } from './workspace';

export interface NewDayBench {
  /** The landing zone's last day, delivered after all the others. */
  day: string;
  historyDays: number;
  /** The days before it as one run: the history the new day lands in. */
  history: PipelineRun;
  /** COPY floor of the new day's own files. */
  dayFloor?: Floor;
  /** The day's batch alone, as the daily schedule runs it; missing when the history failed. */
  newDay?: PipelineRun;
  postgresProfile?: StatementTime[];
  /** 1-minute load average as the day's batch began. */
  loadAverage?: number;
  /** The day's wall over the full run's (the pipeline at this scale). */
  overFullRun?: number;
  /** The day's wall over its COPY floor. */
  overFloor?: number;
}

/**
 * What a daily batch costs once the history is there: every day of the landing zone but the
 * last as one run, then the last day's batch alone. Its rows and the history's are the rows of
 * the one run over the whole period.
 */
export async function benchNewDay(o: { w: Workspace; landing: string; workDir: string; timeoutMs: number; log: (step: string) => (line: string) => void }): Promise<NewDayBench> {
  const { w } = o;
  const days = landingDays(o.landing);
  const last = days[days.length - 1];
  const run = (batchId: string, files: BatchFiles, day?: string) =>
    runPipeline({ client: w.client, pool: w.pool, taskQueue: w.taskQueue, worker: w.workers[0], timeoutMs: o.timeoutMs, batchId, files, day, log: o.log(batchId) });
  const history = await run('history', concatDays(days.slice(0, -1), path.join(o.workDir, 'history')));
  const bench: NewDayBench = { day: last.day, historyDays: days.length - 1, history };
  if (history.status !== 'completed') return bench;
  bench.dayFloor = await copyFloor(w.databaseUrl, last.files);
  const { value, postgresProfile, loadAverage } = await w.profiled(() => run(last.day, last.files, last.day));
  return { ...bench, newDay: value, postgresProfile, loadAverage };
}
