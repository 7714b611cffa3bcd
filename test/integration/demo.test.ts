import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './harness';

/**
 * The README's first command on a machine with nothing configured: `npm start` must bring up
 * its own PostgreSQL and Temporal dev server, run the bundled sample and say where things are.
 */
describe('npm start (journey demo) with embedded defaults', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-demo-'));
  // mkdtemp makes it private; as root, the embedded PostgreSQL runs as user `postgres` and must reach it
  fs.chmodSync(dataDir, 0o755);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('runs the bundled sample end to end and exports the dataset', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, JOURNEY_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    delete env.JOURNEY_TASK_QUEUE;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [path.join(ROOT, 'bin', 'journey.js'), 'demo', '--json'], { cwd: ROOT, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ batch: 'sample', status: 'completed' });
    expect(summary.conversions).toMatchObject({ read: 58207, quarantined: 0 });
    expect(summary.broker.read).toBe(21428);
    expect(summary.matched / summary.broker.accepted).toBeGreaterThan(0.94);
    expect(fs.readFileSync(summary.export, 'utf8').split('\n')[0]).toMatch(/^match_status,conversion_id,session_id,clicked_at,/);
    expect(summary.exportedRows).toBe(summary.published);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);
  });
});
