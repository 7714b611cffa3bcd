import type { ParseArgsConfig } from 'node:util';
import { isDay } from '../activities/publish/export';
import { rootCauseOf } from '../workflows/failures';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Command {
  name: string;
  summary: string;
  /** Usage lines and option help, shown by `journey <name> --help`. */
  help: string;
  options: Options;
  /** Takes positional arguments (a subcommand); others refuse them as a usage error. */
  positionals?: boolean;
  run(values: Values, io: Io): Promise<number>;
}

/** Exit codes of docs/interface.md. */
export const EXIT = { ok: 0, failed: 1, usage: 2, rejected: 3 } as const;

export class UsageError extends Error {}

/** Input that cannot be processed: exit code 3, the message names file, line and reason. */
export class InputError extends Error {}

export interface Io {
  /** Human-readable progress, on stderr so stdout stays machine-readable. */
  progress(line: string): void;
  /** stderr when it is a terminal: progress may be redrawn in place there. */
  terminal?: NodeJS.WriteStream;
  /** A result: printed as text, or collected into the one JSON object of `--json`. */
  out(line: string): void;
  json: boolean;
  /** Positional arguments after the command name. */
  args: string[];
}

export function stringOpt(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requiredOpt(values: Values, name: string): string {
  const v = stringOpt(values, name);
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

export const JSON_OPTION: Options = { json: { type: 'boolean', default: false } };

/** Temporal wraps the error that happened (workflow -> activity -> application failure): people need that one. */
export function rootMessage(e: unknown): string {
  return rootCauseOf(e).message;
}

/** Optional --from/--to days (YYYY-MM-DD, inclusive); `required` makes both mandatory. */
export function dayRange(values: Values, required: true): { from: string; to: string };
export function dayRange(values: Values, required?: false): { from?: string; to?: string };
export function dayRange(values: Values, required = false): { from?: string; to?: string } {
  const from = required ? requiredOpt(values, 'from') : stringOpt(values, 'from');
  const to = required ? requiredOpt(values, 'to') : stringOpt(values, 'to');
  for (const d of [from, to]) if (d !== undefined && !isDay(d)) throw new UsageError(`not a YYYY-MM-DD day: '${d}'`);
  if (from && to && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
  return { from, to };
}
