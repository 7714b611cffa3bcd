import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../activities/db/pool';
import { projectRoot } from '../infra/paths';
import { generate } from '../synth/generate';
import type { BatchFiles } from '../workflows/types';
import { copyFloor } from './copy-floor';
import { benchMatchingInChild } from './matching';
import { samplePostgres } from './pg-sampler';
import { runPipeline } from './pipeline';
import { acceptance, formatAcceptance, formatRuns, type ScaleRun } from './report';
import { createDatabase, dropDatabase, startServers } from './servers';
import { startWorker } from './worker-process';

const USAGE = `usage: npm run bench -- [--scales 1,10,100] [--days 35] [--quick] [--keep] [--seed 1] [--timeout-min 30]

Generates data at each scale, runs the whole pipeline (workflow, four activities, PostgreSQL)
on it with a worker process of its own, times PostgreSQL's plain COPY of the same files, and
benchmarks matching alone at scales up to 10x. Progress on stderr, the tables on stdout, the
figures in bench/results.json.

  --scales LIST     volumes relative to the real data (default 1,10,100)
  --days N          days of data per scale (default 35)
  --quick           1x only
  --keep            keep the generated files (their directory is printed)
  --seed N          generator seed (default 1)
  --timeout-min N   stop a pipeline run after N minutes and report it as such (default 30)`;

/** Matching alone is benchmarked where issue 3 asks for it: 1x and 10x, not beyond. */
const MATCHING_MAX_SCALE = 10;
/** Statements kept from the PostgreSQL profile of each run. */
const PROFILE_STATEMENTS = 10;

interface Options {
  scales: number[];
  days: number;
  keep: boolean;
  seed: number;
  timeoutMs: number;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      scales: { type: 'string', default: '1,10,100' },
      days: { type: 'string', default: '35' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      'timeout-min': { type: 'string', default: '30' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (name: string, raw: string) => {
    const v = Number(raw);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number, got '${raw}'`);
    return v;
  };
  const scales = values.quick ? [1] : values.scales.split(',').map((s) => positive('scales', s.trim()));
  return {
    scales: [...new Set(scales)].sort((a, b) => a - b),
    days: positive('days', values.days),
    keep: values.keep,
    seed: positive('seed', values.seed),
    timeoutMs: positive('timeout-min', values['timeout-min']) * 60_000,
  };
}

async function main(): Promise<number> {
  const opts = options(process.argv.slice(2));
  const root = projectRoot(__dirname);
  const resultsPath = path.join(root, 'bench', 'results.json');
  const machine = {
    cores: os.cpus().length,
    totalMemGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    date: new Date().toISOString(),
    // The machine may be shared (other test runs): a load near the core count means noisy timings.
    loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
  };
  log(`bench: scales ${opts.scales.map((s) => `${s}x`).join(', ')} over ${opts.days} days on ${machine.cores} cores, ${machine.totalMemGiB} GiB, load ${machine.loadAverageAtStart.join(' ')}`);

  const servers = await startServers(log);
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bench-'));
  const runs: ScaleRun[] = [];
  try {
    for (const scale of opts.scales) {
      runs.push(await benchScale(scale, opts, { servers, connection, client, dataRoot }));
      fs.writeFileSync(resultsPath, `${JSON.stringify({ machine, options: { days: opts.days, seed: opts.seed }, runs, acceptance: acceptance(runs) }, null, 2)}\n`);
    }
  } finally {
    await connection.close();
    await servers.stop();
    if (opts.keep) log(`generated data kept in ${dataRoot}`);
    else fs.rmSync(dataRoot, { recursive: true, force: true });
  }

  const out = [...formatRuns(runs), '', ...formatAcceptance(acceptance(runs)), '', `machine: ${machine.cores} cores, ${machine.totalMemGiB} GiB, node ${machine.node}; results in ${path.relative(process.cwd(), resultsPath)}`];
  process.stdout.write(`${out.join('\n')}\n`);
  const crashed = runs.some((r) => r.error || r.pipeline?.status === 'failed' || r.pipeline?.status === 'worker-died');
  return crashed ? 1 : 0;
}

interface Shared {
  servers: Awaited<ReturnType<typeof startServers>>;
  connection: Connection;
  client: Client;
  dataRoot: string;
}

async function benchScale(scale: number, opts: Options, shared: Shared): Promise<ScaleRun> {
  const tag = String(scale).replace('.', '_');
  const outDir = path.join(shared.dataRoot, `${tag}x`);
  log(`\n== ${scale}x: generating ${opts.days} days`);
  let t = Date.now();
  const generated = await generate({ outDir, days: opts.days, seed: opts.seed, scale });
  const files: BatchFiles = {
    conversions: path.join(outDir, 'brokerchooser_conversions.csv'),
    broker: path.join(outDir, 'broker_data.csv'),
    mapping: path.join(outDir, 'page_category_mapping.csv'),
  };
  const run: ScaleRun = {
    scale,
    days: opts.days,
    clicks: generated.clicks,
    brokerRecords: generated.brokerRecords,
    fileBytes: Object.values(files).reduce((a, f) => a + fs.statSync(f!).size, 0),
    generateSeconds: (Date.now() - t) / 1000,
  };
  log(`${scale}x: ${generated.clicks} clicks, ${generated.brokerRecords} broker rows, ${(run.fileBytes / 1e6).toFixed(1)} MB in ${run.generateSeconds.toFixed(1)} s`);

  const database = `journey_bench_${tag}`;
  try {
    if (scale <= MATCHING_MAX_SCALE) {
      log(`${scale}x: matching alone`);
      run.matching = await benchMatchingInChild(files.conversions!, files.broker!);
    }
    const databaseUrl = await createDatabase(shared.servers.pgAdminUrl, database);
    log(`${scale}x: COPY floor`);
    run.floor = await copyFloor(databaseUrl, files);
    log(`${scale}x: floor ${run.floor.seconds.toFixed(2)} s; starting a worker`);
    const taskQueue = `bench-${tag}x-${Date.now()}`;
    const worker = await startWorker({ databaseUrl, temporalAddress: shared.servers.temporalAddress, taskQueue, connection: shared.connection }, log);
    const pool = createPool(databaseUrl);
    const sampler = await samplePostgres(databaseUrl, database);
    try {
      t = Date.now();
      log(`${scale}x: pipeline`);
      run.pipeline = await runPipeline({
        client: shared.client,
        pool,
        taskQueue,
        batchId: `bench-${tag}x`,
        files,
        worker,
        timeoutMs: opts.timeoutMs,
        log: (line) => log(`  ${((Date.now() - t) / 1000).toFixed(0).padStart(5)} s ${line}`),
      });
      run.ratio = run.pipeline.wallSeconds / run.floor.seconds;
      log(`${scale}x: ${run.pipeline.status} in ${run.pipeline.wallSeconds.toFixed(1)} s, worker peak ${run.pipeline.workerPeakMiB.toFixed(0)} MiB`);
    } finally {
      run.postgresProfile = (await sampler.stop()).slice(0, PROFILE_STATEMENTS);
      await worker.stop();
      await pool.end();
    }
  } catch (e) {
    run.error = (e as Error).message;
    log(`${scale}x crashed: ${(e as Error).stack ?? e}`);
  } finally {
    await dropDatabase(shared.servers.pgAdminUrl, database).catch((e) => log(`could not drop ${database}: ${(e as Error).message}`));
    if (!opts.keep) fs.rmSync(outDir, { recursive: true, force: true });
  }
  return run;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`bench: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
