import fs from 'node:fs';
import path from 'node:path';
import type { BatchFiles } from '../workflows/types';
import { checkBatchId, contentBatchId } from './batch-id';
import { BatchFailed, formatSummary, runBatch } from './batch-runner';
import { EXIT, InputError, JSON_OPTION, requiredOpt, stringOpt, UsageError, type Command } from './command';
import { openEnvironment } from './environment';

export const runCommand: Command = {
  name: 'run',
  summary: 'process one ad-hoc batch of files and print its summary',
  help: `usage: journey run --conversions FILE --broker FILE [--mapping FILE] [--batch ID] [--with-worker] [--json]

Starts the batch workflow (ingest -> normalize -> match -> publish), shows its progress on
stderr (a line per step; on a terminal also a live line of the step in flight: rows, rate,
elapsed time) and prints the summary. The same --batch id (by default derived from the files'
content) reruns the batch idempotently; a run already in flight for it is joined, not doubled.

  --conversions FILE  BrokerChooser clicks (brokerchooser_conversions.csv, ';'-separated)
  --broker FILE       the broker's user records (broker_data.csv, ',' -separated)
  --mapping FILE      page_category_mapping.csv (default: the mapping already loaded)
  --batch ID          batch id (default: adhoc-<hash of the files>)
  --with-worker       also run a worker in this process (when TEMPORAL_ADDRESS is set)
  --json              print the summary as one JSON object on the last line of stdout`,
  options: {
    conversions: { type: 'string' },
    broker: { type: 'string' },
    mapping: { type: 'string' },
    batch: { type: 'string' },
    'with-worker': { type: 'boolean', default: false },
    ...JSON_OPTION,
  },
  async run(values, io) {
    const files: BatchFiles = {
      conversions: inputFile(requiredOpt(values, 'conversions')),
      broker: inputFile(requiredOpt(values, 'broker')),
      mapping: stringOpt(values, 'mapping') && inputFile(stringOpt(values, 'mapping')!),
    };
    const batchId = stringOpt(values, 'batch') ?? (await contentBatchId(files));
    const bad = checkBatchId(batchId);
    if (bad) throw new UsageError(bad);
    const env = await openEnvironment({ temporal: true, withWorker: values['with-worker'] === true, log: io.progress });
    try {
      const summary = await runBatch(env, { batchId, files }, io.progress, io.terminal);
      printSummary(summary, io);
      return EXIT.ok;
    } catch (e) {
      if (e instanceof BatchFailed) {
        printSummary(e.summary, io);
        throw e.cause;
      }
      throw e;
    } finally {
      await env.close();
    }
  },
};

function printSummary(summary: Parameters<typeof formatSummary>[0], io: Parameters<Command['run']>[1]): void {
  if (io.json) io.out(JSON.stringify(summary));
  else for (const line of formatSummary(summary)) io.out(line);
}

function inputFile(p: string): string {
  const abs = path.resolve(p);
  if (!fs.existsSync(abs)) throw new InputError(`${p} line 0: file not found`);
  if (!fs.statSync(abs).isFile()) throw new InputError(`${p} line 0: not a regular file`);
  return abs;
}
