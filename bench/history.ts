import fs from 'node:fs';
import type { Acceptance } from './acceptance';
import type { PostgresServer } from './postgres-server';
import type { Code, Machine } from './provenance';
import type { ScaleRun } from './report';

/** One `npm run bench`: when, on which code, machine and server, and what it measured. */
export interface BenchRecord extends Code {
  date: string;
  /** What a reader of the figures should know that they do not say themselves. */
  note?: string;
  machine: Machine;
  postgres?: PostgresServer;
  options: { days: number; seed: number; parts?: string[]; scales?: number[] };
  runs: ScaleRun[];
  acceptance: Acceptance[];
}

/**
 * bench/results.json: every run so far, oldest first, so a change's effect is read against the
 * runs before it and not only against the last one.
 */
export class History {
  private readonly earlier: BenchRecord[];

  constructor(private readonly file: string) {
    this.earlier = fs.existsSync(file) ? History.parse(file) : [];
  }

  private static parse(file: string): BenchRecord[] {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { history?: unknown };
    // Refusing beats overwriting: the file is the only copy of the runs before this one.
    if (!Array.isArray(parsed.history)) throw new Error(`${file} is not a bench history ({"history": [...]}); move it aside to start a new one`);
    return parsed.history as BenchRecord[];
  }

  /** Written after every scale, so a crash later in the run keeps what was measured. */
  save(current: BenchRecord): void {
    fs.writeFileSync(this.file, `${JSON.stringify({ history: [...this.earlier, current] }, null, 2)}\n`);
  }
}
