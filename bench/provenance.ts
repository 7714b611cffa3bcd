import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  cores: number;
  cpu: string;
  totalMemGiB: number;
  node: string;
  /** 1, 5 and 15 minutes. The machine may be shared (other test runs): a load near the core count means noisy timings. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface Code {
  /** HEAD when the bench started; null outside a git checkout. */
  commit: string | null;
  /** Tracked files that differed from that commit: the measured build may include their changes. */
  uncommitted: string[];
}

export const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

export function machine(): Machine {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    totalMemGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    loadAverageAtStart: loadAverage(),
  };
}

export function code(root: string): Code {
  const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return {
      commit: git('rev-parse', 'HEAD').trim(),
      uncommitted: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean).map((l) => l.slice(3)),
    };
  } catch {
    return { commit: null, uncommitted: [] };
  }
}
