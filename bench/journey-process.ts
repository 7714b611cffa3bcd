import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../infra/paths';

export interface JourneyProcess {
  child: ChildProcess;
  pid: number;
  /** Standard output so far (a command's `--json` result is its last line). */
  stdout(): string;
  /** Settles when the process exits, with its exit code (null when killed) and how it ended. */
  exited: Promise<{ code: number | null; message: string }>;
}

/**
 * `journey <args>` as its own process, as deployed, against the bench's servers: its memory and
 * CPU are its own, and it runs the command's real code path. Its stderr goes to `log`.
 */
export function spawnJourney(
  args: string[],
  servers: { databaseUrl: string; temporalAddress: string; taskQueue: string },
  log: (line: string) => void,
): JourneyProcess {
  const root = projectRoot(__dirname);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'journey.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: servers.databaseUrl, TEMPORAL_ADDRESS: servers.temporalAddress, JOURNEY_TASK_QUEUE: servers.taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start journey ${args[0]}`);
  let out = '';
  let tail = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    tail = (tail + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) log(`  [${args[0]} ${child.pid}] ${line}`);
  });
  const exited = new Promise<{ code: number | null; message: string }>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve({ code, message: `journey ${args[0]} exited (${signal ?? `code ${code}`}): ${tail.trim().split('\n').slice(-5).join(' | ')}` }),
    ),
  );
  return { child, pid: child.pid, stdout: () => out, exited };
}
