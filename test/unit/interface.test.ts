import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, usage } from '../../client/cli';
import { projectRoot } from '../../infra/paths';

const ROOT = projectRoot(__dirname);
const INTERFACE = fs.readFileSync(path.join(ROOT, 'docs', 'interface.md'), 'utf8');

/** The body rows of the Markdown table under a `## ` heading, as lists of cells. */
function tableRows(heading: string): string[][] {
  const section = INTERFACE.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`docs/interface.md has no section '${heading}'`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .slice(1)
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

const codeSpans = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

describe('docs/interface.md is in step with the CLI', () => {
  const rows = tableRows('Commands').filter(([usageCell]) => usageCell.startsWith('`journey '));

  it('lists the commands the CLI has', () => {
    expect(rows.length).toBeGreaterThanOrEqual(9);
  });

  for (const [usageCell] of rows) {
    const spans = codeSpans(usageCell);
    const name = spans[0].split(' ')[1];
    it(`journey ${name}: the command and every option it lists exist, and its --help names them`, () => {
      const command = COMMANDS.find((c) => c.name === name);
      expect(command, name).toBeDefined();
      const options = [...new Set(spans.flatMap((s) => [...s.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1])))];
      expect(options.filter((o) => !(o in command!.options)), name).toEqual([]);
      expect(options.filter((o) => !command!.help.includes(`--${o}`)), name).toEqual([]);
      // subcommands, written as further code spans (`describe` · `pause` · ...)
      const subcommands = [spans[0].split(' ')[2], ...spans.slice(1).map((s) => s.split(' ')[0])].filter((w) => w && /^[a-z]+$/.test(w));
      if (command!.positionals) expect(subcommands.filter((s) => !new RegExp(`\\b${s}\\b`).test(command!.help)), name).toEqual([]);
    });
  }

  it('npm start is the demo command, with --serve', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toBe('node bin/journey.js demo');
    expect(pkg.bin).toEqual({ journey: 'bin/journey.js' });
    expect(COMMANDS.find((c) => c.name === 'demo')?.options).toHaveProperty('serve');
  });

  it('names every environment variable of the interface in the usage', () => {
    const variables = tableRows('Environment').map(([name]) => codeSpans(name)[0]);
    expect(variables).toEqual(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'JOURNEY_TASK_QUEUE']);
    for (const v of variables) expect(usage()).toContain(v);
  });

  it('is the copy the README points to', () => {
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain('(docs/interface.md)');
  });
});
