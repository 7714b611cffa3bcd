import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../infra/embedded-postgres';
import { freePort } from '../../infra/ports';
import { startDevServer } from '../../infra/temporal-dev-server';
import { projectRoot } from '../../infra/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundle: string;
    pgAdminUrl: string;
  }
}

/**
 * One real Temporal dev server and one workflow bundle per test run; each test file then
 * makes its own database and task queue (test/integration/harness.ts).
 */
export default async function setup(project: TestProject) {
  const root = projectRoot(__dirname);
  const stops: (() => Promise<void>)[] = [];

  const server = await startDevServer({ port: await freePort(), headless: true });
  stops.push(server.stop);

  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows'), logger: quietLogger });
  const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bundle-'));
  const bundlePath = path.join(bundleDir, 'workflows.js');
  fs.writeFileSync(bundlePath, bundle.code);
  stops.push(async () => fs.rmSync(bundleDir, { recursive: true, force: true }));

  // CLI tests run the built CLI, so build it from the sources under test.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

  project.provide('temporalAddress', server.address);
  project.provide('workflowBundle', bundlePath);
  project.provide('pgAdminUrl', await adminDatabase(stops));

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

/** The machine's PostgreSQL when there is one (JOURNEY_TEST_PG_URL or the local default), else an embedded one. */
async function adminDatabase(stops: (() => Promise<void>)[]): Promise<string> {
  const url = process.env.JOURNEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-pg-'));
    const db = await startEmbeddedPostgres(dir);
    stops.push(async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return db.url.replace(/\/journey$/, '/postgres');
  }
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
