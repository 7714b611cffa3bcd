import { parseArgs } from 'node:util';
import { INPUT_REJECTED, rootCauseOf } from '../workflows/failures';
import { EXIT, InputError, rootMessage, UsageError, type Command, type Io, type Values } from './command';
import { backfillCommand } from './backfill';
import { demoCommand } from './demo';
import { evaluateCommand } from './evaluate';
import { exportCommand } from './export';
import { reportCommand } from './report';
import { generateCommand } from './generate';
import { runCommand } from './run';
import { scheduleCommand } from './schedule';
import { statusCommand } from './status';
import { workerCommand } from './worker';

export const COMMANDS: Command[] = [
  runCommand,
  backfillCommand,
  scheduleCommand,
  statusCommand,
  exportCommand,
  evaluateCommand,
  reportCommand,
  generateCommand,
  workerCommand,
  demoCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'journey: links BrokerChooser clicks to partner broker records on Temporal, into PostgreSQL',
    '',
    'usage: journey <command> [options]      (journey <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'environment: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, JOURNEY_TASK_QUEUE (see README)',
    'exit codes: 0 done, 1 failed, 2 usage error, 3 input rejected',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`journey: unknown command '${name}'\n\n${usage()}\n`);
    return EXIT.usage;
  }
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    }));
    if (positionals.length > 0 && !command.positionals) throw new Error(`unexpected argument '${positionals[0]}'`);
  } catch (e) {
    process.stderr.write(`journey ${name}: ${(e as Error).message}\n\n${command.help}\n`);
    return EXIT.usage;
  }
  if (values.help) {
    process.stdout.write(command.help + '\n');
    return EXIT.ok;
  }
  const json = values.json === true;
  let printed = false;
  const io: Io = {
    json,
    args: positionals,
    progress: (line) => process.stderr.write(line + '\n'),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    out: (line) => {
      printed = true;
      process.stdout.write(line + '\n');
    },
  };
  try {
    return await command.run(values, io);
  } catch (e) {
    const code = exitCodeFor(e);
    const message = rootMessage(e);
    process.stderr.write(`journey ${name}: ${message}\n`);
    if (code === EXIT.usage) process.stderr.write(`\n${command.help}\n`);
    // A command that already printed its own result object (a failed batch's summary) keeps it last.
    if (json && !printed) process.stdout.write(JSON.stringify({ status: 'failed', error: message }) + '\n');
    return code;
  }
}

function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof InputError) return EXIT.rejected;
  return rootCauseOf(e).type === INPUT_REJECTED ? EXIT.rejected : EXIT.failed;
}

/**
 * The process entry, called by bin/journey.js. It is not run on import: a check of the script's
 * name (`journey.js`) failed for every linked launcher (npx, npm link, a symlink in ~/bin), which
 * then printed nothing and exited 0.
 */
export function runCli(argv = process.argv.slice(2)): void {
  // `journey status | head` closes stdout early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  main(argv).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`journey: ${(e as Error).message ?? e}\n`);
      process.exit(EXIT.failed);
    },
  );
}
