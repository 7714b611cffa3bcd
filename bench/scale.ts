import fs from 'node:fs';
import path from 'node:path';
import { generate } from '../synth/generate';
import type { BatchFiles } from '../workflows/types';
import { runBackfill } from './backfill';
import { copyFloor } from './copy-floor';
import { flatFiles, landingDays } from './landing';
import { log, stopwatch } from './log';
import { benchMatchingInChild } from './matching';
import { benchNewDay } from './new-day';
import { partsAt, type Options, type Part } from './options';
import { runPipeline } from './pipeline';
import type { ScaleRun } from './report';
import { fixed } from './table';
import { onFreshDatabase, type Shared } from './workspace';

/** The backfill's worker counts: does a second worker make it faster? */
const BACKFILL_WORKERS = [1, 2];

/**
 * Every chosen part at one scale, on the same generated rows: one file per source for the
 * pipeline and matching, the same rows as a landing zone of daily folders for the backfill and
 * the new day. A part that crashes is noted and the next one still runs; `measured` gets the
 * scale's figures after each part.
 */
export async function benchScale(scale: number, opts: Options, shared: Shared, dataRoot: string, measured: (run: ScaleRun) => void): Promise<void> {
  const parts = partsAt(opts, scale);
  const tag = `${String(scale).replace('.', '_')}x`;
  const outDir = path.join(dataRoot, tag);
  log(`\n== ${scale}x: ${[...parts].join(', ')}; generating ${opts.days} days`);
  try {
    await benchParts(scale, tag, parts, opts, shared, outDir, measured);
  } finally {
    if (!opts.keep) fs.rmSync(outDir, { recursive: true, force: true });
  }
}

async function benchParts(scale: number, tag: string, parts: Set<Part>, opts: Options, shared: Shared, outDir: string, measured: (run: ScaleRun) => void): Promise<void> {
  const flatDir = path.join(outDir, 'flat');
  const landing = path.join(outDir, 'landing');
  const t = Date.now();
  const generated = await generate({ outDir: flatDir, days: opts.days, seed: opts.seed, scale });
  if (parts.has('backfill') || parts.has('newday')) {
    const daily = await generate({ outDir: landing, days: opts.days, seed: opts.seed, scale, layout: 'landing' });
    // The ratios to the one run rest on this: the same seed and days give the same rows in either layout.
    if (daily.clicks !== generated.clicks || daily.brokerRecords !== generated.brokerRecords) throw new Error(`${scale}x: the landing layout holds other rows than the flat one`);
  }
  const files = flatFiles(flatDir);
  const run: ScaleRun = {
    scale,
    days: opts.days,
    clicks: generated.clicks,
    brokerRecords: generated.brokerRecords,
    fileBytes: Object.values(files).reduce((a, f) => a + fs.statSync(f!).size, 0),
    generateSeconds: (Date.now() - t) / 1000,
  };
  log(`${scale}x: ${generated.clicks} clicks, ${generated.brokerRecords} broker rows, ${(run.fileBytes / 1e6).toFixed(1)} MB in ${run.generateSeconds.toFixed(1)} s`);

  const attempt = async (part: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      run.error = [run.error, `${part}: ${(e as Error).message}`].filter(Boolean).join('; ');
      log(`${scale}x ${part} crashed: ${(e as Error).stack ?? e}`);
    }
    measured(run);
  };
  const at: AtScale = { run, opts, shared, tag, files, landing, outDir };
  if (parts.has('matching')) await attempt('matching', () => benchMatching(at));
  if (parts.has('pipeline')) await attempt('pipeline', () => benchPipeline(at));
  if (parts.has('backfill')) {
    run.backfill = { runs: [] };
    for (const workers of BACKFILL_WORKERS) await attempt(`backfill with ${workers} workers`, () => benchBackfill(at, workers));
    const [one, two] = BACKFILL_WORKERS.map((n) => run.backfill!.runs.find((b) => b.workers === n && b.status === 'completed'));
    if (one && two) run.backfill.twoWorkersOverOne = two.wallSeconds / one.wallSeconds;
    measured(run);
  }
  if (parts.has('newday')) await attempt('new day', () => benchNewDayAt(at));
}

interface AtScale {
  run: ScaleRun;
  opts: Options;
  shared: Shared;
  tag: string;
  files: BatchFiles;
  landing: string;
  outDir: string;
}

/** The pipeline's wall time, the yardstick of the backfill and the new day; undefined unless it completed. */
const oneRun = (run: ScaleRun) => (run.pipeline?.status === 'completed' ? run.pipeline.wallSeconds : undefined);

async function benchMatching({ run, files }: AtScale): Promise<void> {
  log(`${run.scale}x: matching alone`);
  run.matching = await benchMatchingInChild(files.conversions!, files.broker!);
}

async function benchPipeline({ run, opts, shared, tag, files }: AtScale): Promise<void> {
  await onFreshDatabase(shared, `journey_bench_${tag}`, 1, log, async (w) => {
    log(`${run.scale}x: COPY floor`);
    const floor = (run.floor = await copyFloor(w.databaseUrl, files));
    log(`${run.scale}x: floor ${floor.seconds.toFixed(2)} s; pipeline`);
    const { value, postgresProfile, loadAverage } = await w.profiled(() =>
      runPipeline({ client: w.client, pool: w.pool, taskQueue: w.taskQueue, worker: w.workers[0], batchId: `bench-${tag}`, files, timeoutMs: opts.timeoutMs, log: stopwatch('') }),
    );
    run.pipeline = value;
    run.postgresProfile = postgresProfile;
    run.loadAverage = loadAverage;
    run.ratio = value.wallSeconds / floor.seconds;
    log(`${run.scale}x: pipeline ${value.status} in ${value.wallSeconds.toFixed(1)} s, worker peak ${value.workerPeakMiB.toFixed(0)} MiB`);
  });
}

async function benchBackfill({ run, opts, shared, tag, landing }: AtScale, workers: number): Promise<void> {
  const days = landingDays(landing);
  await onFreshDatabase(shared, `journey_bench_${tag}_backfill_${workers}w`, workers, log, async (w) => {
    log(`${run.scale}x: backfill of ${days.length} days with ${workers} worker${workers > 1 ? 's' : ''}`);
    const { value, postgresProfile, loadAverage } = await w.profiled(() =>
      runBackfill({ w, landing, from: days[0].day, to: days[days.length - 1].day, timeoutMs: opts.timeoutMs, log: stopwatch('backfill') }),
    );
    const one = oneRun(run);
    run.backfill!.runs.push({ ...value, postgresProfile, loadAverage, overOneRun: one && value.wallSeconds / one, overFloor: run.floor && value.wallSeconds / run.floor.seconds });
    log(`${run.scale}x: backfill ${value.status} in ${value.wallSeconds.toFixed(1)} s (${value.days} days)`);
  });
}

async function benchNewDayAt({ run, opts, shared, tag, landing, outDir }: AtScale): Promise<void> {
  await onFreshDatabase(shared, `journey_bench_${tag}_newday`, 1, log, async (w) => {
    log(`${run.scale}x: one new day into the history`);
    const bench = await benchNewDay({ w, landing, workDir: outDir, timeoutMs: opts.timeoutMs, log: stopwatch });
    const wall = bench.newDay?.status === 'completed' ? bench.newDay.wallSeconds : undefined;
    const one = oneRun(run);
    run.newDay = { ...bench, overFullRun: one && wall && wall / one, overFloor: bench.dayFloor && wall && wall / bench.dayFloor.seconds };
    log(`${run.scale}x: new day ${bench.day} ${bench.newDay?.status ?? 'not run'} in ${fixed(wall, 1)} s`);
  });
}
