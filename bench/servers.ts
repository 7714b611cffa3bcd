import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../infra/embedded-postgres';
import { freePort } from '../infra/ports';
import { startDevServer } from '../infra/temporal-dev-server';

/** Whose PostgreSQL the bench runs on: the figures depend on its settings, which only an embedded one has from us. */
export type PostgresKind = 'machine (shared)' | 'embedded' | 'BENCH_DATABASE_URL';

/** Which server to ask for: the machine's (BENCH_DATABASE_URL overrides it) or one the bench starts with the project's settings. */
export type PostgresChoice = 'machine' | 'embedded';

export interface Servers {
  temporalAddress: string;
  /** A database the bench may create and drop databases from. */
  pgAdminUrl: string;
  pgKind: PostgresKind;
  stop(): Promise<void>;
}

const MACHINE_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A private headless Temporal dev server, and the machine's PostgreSQL (or an embedded one). */
export async function startServers(postgres: PostgresChoice, log: (line: string) => void): Promise<Servers> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    const server = await startDevServer({ port: await freePort(), headless: true, log });
    stops.push(server.stop);
    const pg = await adminDatabase(postgres, stops, log);
    return { temporalAddress: server.address, pgAdminUrl: pg.url, pgKind: pg.kind, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function adminDatabase(
  postgres: PostgresChoice,
  stops: (() => Promise<void>)[],
  log: (line: string) => void,
): Promise<{ url: string; kind: PostgresKind }> {
  if (postgres === 'machine') {
    const url = process.env.BENCH_DATABASE_URL ?? MACHINE_PG;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.end();
      return { url, kind: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'machine (shared)' };
    } catch (e) {
      if (process.env.BENCH_DATABASE_URL) throw e;
      log(`no PostgreSQL at ${MACHINE_PG} (${(e as Error).message}); starting an embedded one`);
    }
  }
  // A port of its own: the demo's embedded server may be running on the usual one, and the
  // figures must come from a server with the project's settings and nothing else on it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bench-pg-'));
  const db = await startEmbeddedPostgres(dir, log, await freePort());
  stops.push(async () => {
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { url: db.url.replace(/\/journey$/, '/postgres'), kind: 'embedded' };
}

/** A fresh, empty database; returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await adminQuery(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

async function adminQuery(adminUrl: string, fn: (c: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
