import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's package and the common alternatives on PATH, after CHROMIUM_PATH. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  if (path.isAbsolute(name)) return fs.existsSync(name) ? name : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  return null;
}

/** The Chromium to print with, or null when there is none (the report is then HTML only). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) {
    if (!fs.existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return env.CHROMIUM_PATH;
  }
  for (const c of CANDIDATES) {
    const found = onPath(c, env);
    if (found) return found;
  }
  return null;
}

/**
 * Flags for a one-shot, offline, headless run: no sandbox (containers and root), nothing
 * fetched or synced, and a throwaway profile so concurrent runs do not share a lock.
 */
function headlessArgs(profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profileDir}`,
  ];
}

/** Runs Chromium headless with a throwaway profile. */
export async function runHeadless(chromium: string, args: string[], timeoutMs = 120_000): Promise<{ stdout: string; stderr: string }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-chromium-'));
  try {
    return await new Promise((resolve, reject) => {
      execFile(chromium, [...headlessArgs(profile), ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${path.basename(chromium)} failed: ${err.message}\n${stderr.split('\n').slice(-10).join('\n')}`));
        else resolve({ stdout, stderr });
      });
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** Prints an HTML file to PDF with Chromium's own print engine (the same the reader's browser uses). */
export async function printPdf(chromium: string, htmlFile: string, pdfFile: string): Promise<void> {
  fs.rmSync(pdfFile, { force: true });
  await runHeadless(chromium, [`--print-to-pdf=${pdfFile}`, '--no-pdf-header-footer', pathToFileURL(path.resolve(htmlFile)).href]);
  if (!fs.existsSync(pdfFile) || fs.statSync(pdfFile).size === 0) throw new Error(`Chromium wrote no PDF to ${pdfFile}`);
}
