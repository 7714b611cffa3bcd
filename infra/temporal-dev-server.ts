import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isListening, waitForPort } from './ports';
import { BATCH_SEARCH_ATTRIBUTES } from '../workflows/ids';
import { resolveTemporalCli } from './temporal-cli';

/** The search attributes a batch is found by in the Temporal UI, as the CLI names them (all keywords). */
export const SEARCH_ATTRIBUTES: Readonly<Record<string, 'Keyword'>> = Object.fromEntries(BATCH_SEARCH_ATTRIBUTES.map((key) => [key.name, 'Keyword']));

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  /** SQLite file for durable state; in memory when omitted (tests). */
  dbFile?: string;
  headless?: boolean;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** false when an already running server on the port was reused. */
  owned: boolean;
  stop(): Promise<void>;
}

export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const port = opts.port ?? 7233;
  const address = `127.0.0.1:${port}`;
  const uiUrl = opts.headless ? undefined : `http://localhost:${opts.uiPort ?? port + 1000}`;
  if (await isListening(port)) {
    // A server left running by `npm start -- --serve` (or by hand): share it instead of failing.
    opts.log?.(`using the Temporal server already listening on ${address}`);
    return { address, uiUrl, owned: false, stop: async () => {} };
  }
  const cli = resolveTemporalCli({ log: opts.log });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (opts.dbFile) {
    fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? port + 1000), '--ui-disable-news-fetch');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal server exited with code ${code}: ${stderr.trim()}`))),
  );
  exited.catch(() => {});
  await Promise.race([waitForPort(port, 60_000, 'the Temporal dev server'), exited]);
  return {
    address,
    uiUrl,
    owned: true,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
