#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` via prepare).
// Node resolves a symlinked bin to this file, so the relative path holds for every launcher.
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'client', 'cli.js');
let cli;
try {
  cli = require(entry);
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes(entry)) throw e;
  process.stderr.write(`journey: not built yet: run \`npm ci\` (or \`npm run build\`) in ${path.dirname(__dirname)}\n`);
  process.exit(1);
}
cli.runCli();
