import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { projectRoot } from '../infra/paths';
import { acceptance, formatAcceptance } from './acceptance';
import { History, type BenchRecord } from './history';
import { log } from './log';
import { parseOptions, USAGE, UsageError, type Options } from './options';
import { describePostgres, formatPostgres } from './postgres-server';
import { code, loadAverage, machine } from './provenance';
import { formatRuns, type ScaleRun } from './report';
import { benchScale } from './scale';
import { startServers } from './servers';

async function main(): Promise<number> {
  let opts: Options | null;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    log(`bench: ${e.message} (see --help)`);
    return 2;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = projectRoot(__dirname);
  const resultsPath = path.join(root, 'bench', 'results.json');
  const history = new History(resultsPath);
  const m = machine();
  log(`bench: ${[...opts.parts].join(', ')} at ${opts.scales.map((s) => `${s}x`).join(', ')} over ${opts.days} days on ${m.cores} cores, ${m.totalMemGiB} GiB, load ${m.loadAverageAtStart.join(' ')}`);
  const checkout = code(root);
  if (checkout.uncommitted.length) log(`bench: the working tree differs from ${checkout.commit} in ${checkout.uncommitted.join(', ')}`);

  const servers = await startServers(opts.postgres, log);
  const connection = await Connection.connect({ address: servers.temporalAddress }).catch(async (e) => {
    await servers.stop();
    throw e;
  });
  const client = new Client({ connection, namespace: 'default' });
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bench-'));
  const runs: ScaleRun[] = [];
  let record: BenchRecord | undefined;
  const save = () => record && history.save({ ...record, acceptance: acceptance(runs) });
  try {
    const postgres = await describePostgres(servers.pgAdminUrl, servers.pgKind);
    for (const line of formatPostgres(postgres)) log(line);
    record = {
      date: new Date().toISOString(),
      ...checkout,
      machine: m,
      postgres,
      options: { days: opts.days, seed: opts.seed, parts: [...opts.parts], scales: opts.scales },
      runs,
      acceptance: [],
    };
    for (const scale of opts.scales) {
      await benchScale(scale, opts, { servers, connection, client }, dataRoot, (run) => {
        if (!runs.includes(run)) runs.push(run);
        save();
      });
    }
  } finally {
    m.loadAverageAtEnd = loadAverage();
    save();
    await connection.close();
    await servers.stop();
    if (opts.keep) log(`generated data kept in ${dataRoot}`);
    else fs.rmSync(dataRoot, { recursive: true, force: true });
  }

  const out = [
    ...(record?.postgres ? formatPostgres(record.postgres) : []),
    '',
    ...formatRuns(runs),
    '',
    ...formatAcceptance(acceptance(runs)),
    '',
    `machine: ${m.cores} cores (${m.cpu}), ${m.totalMemGiB} GiB, node ${m.node}, load ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd?.join(' ')} at end`,
    `code: ${checkout.commit ?? 'not a git checkout'}${checkout.uncommitted.length ? ` with uncommitted changes to ${checkout.uncommitted.join(', ')}` : ''}`,
    `results appended to the history in ${path.relative(process.cwd(), resultsPath)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  const failed = (s: string | undefined) => s === 'failed' || s === 'worker-died';
  const crashed = runs.some(
    (r) => r.error || failed(r.pipeline?.status) || r.backfill?.runs.some((b) => failed(b.status)) || failed(r.newDay?.history.status) || failed(r.newDay?.newDay?.status),
  );
  return crashed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(`bench: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
