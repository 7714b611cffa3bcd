import path from 'node:path';
import { isDay } from '../activities/publish/export';
import { generate } from '../synth/generate';
import { JSON_OPTION, requiredOpt, stringOpt, UsageError, type Command, type Values } from './command';

function numberOpt(values: Values, name: string, valid: (n: number) => boolean): number | undefined {
  const raw = stringOpt(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || !valid(n)) throw new UsageError(`--${name} ${raw} is not valid`);
  return n;
}

function choiceOpt<T extends string>(values: Values, name: string, choices: readonly T[]): T | undefined {
  const raw = stringOpt(values, name);
  if (raw !== undefined && !(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
  return raw as T | undefined;
}

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write synthetic data in the real formats, with truth.csv of the true pairs',
  help: `usage: journey generate --out DIR [--days N] [--seed S] [--scale X] [--start YYYY-MM-DD]
                        [--layout flat|landing] [--effects planted|none] [--json]

Seeded and reproducible: the same options give byte-identical files. Rates are calibrated on
the shared real data (synth/calibration.ts says where each comes from).

  --days N        days of data (default 30)
  --seed S        random seed (default 1)
  --scale X       volume relative to the real data (default 1, ~1,660 clicks a day)
  --start D       first day (default 2024-04-01)
  --layout L      flat: one file per source in DIR (default); landing: DIR/YYYY-MM-DD/ folders
  --effects E     planted: known effects for the report to find (default); none: no effects`,
  options: {
    out: { type: 'string' },
    days: { type: 'string' },
    seed: { type: 'string' },
    scale: { type: 'string' },
    start: { type: 'string' },
    layout: { type: 'string' },
    effects: { type: 'string' },
    ...JSON_OPTION,
  },
  async run(values, io) {
    const start = stringOpt(values, 'start');
    if (start !== undefined && !isDay(start)) throw new UsageError('--start must be YYYY-MM-DD');
    const summary = await generate({
      outDir: path.resolve(requiredOpt(values, 'out')),
      days: numberOpt(values, 'days', (n) => Number.isInteger(n) && n >= 1),
      seed: numberOpt(values, 'seed', Number.isInteger),
      scale: numberOpt(values, 'scale', (n) => n > 0),
      start,
      layout: choiceOpt(values, 'layout', ['flat', 'landing'] as const),
      effects: choiceOpt(values, 'effects', ['planted', 'none'] as const),
      onProgress: (p) => io.progress(`  ${p.day}: ${p.clicks} clicks, ${p.brokers} broker records`),
    });
    if (io.json) io.out(JSON.stringify(summary));
    else io.out(`wrote ${summary.clicks} clicks, ${summary.brokerRecords} broker records, ${summary.truePairs} true pairs over ${summary.days} days to ${summary.outDir}`);
    return 0;
  },
};
