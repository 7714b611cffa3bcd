import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/paths';

// `npm test` lints the tree clean; these show the rules bite where they should, so a clean
// lint means something (a typo in a glob of eslint.config.mjs would silence them all).
// The project service only types files of the tsconfig, so the code is linted as if it were
// the text of an existing file.
const eslint = new ESLint({ cwd: projectRoot(__dirname) });

async function ruleIds(code: string, filePath: string): Promise<(string | null)[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId);
}

describe('the linter', () => {
  it('keeps Node built-ins, pg and activity code out of workflows, but lets activity types in', async () => {
    const code = [
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import { Pool } from 'pg';",
      "import { createActivities } from '../activities';",
      "import type { Activities } from '../activities';",
      'export type A = Activities;',
      'export const used = [fs, path, Pool, createActivities];',
    ].join('\n');
    expect(await ruleIds(code, 'workflows/days.ts')).toEqual(Array(4).fill('@typescript-eslint/no-restricted-imports'));
  });

  it('lets the rest of the tree import them', async () => {
    const code = "import fs from 'node:fs';\nimport { createActivities } from '../activities';\nexport const used = [fs, createActivities];\n";
    expect(await ruleIds(code, 'client/status.ts')).toEqual([]);
  });

  it('finds a promise nobody awaits and an async callback where a plain one is expected', async () => {
    const code = [
      'async function step(): Promise<void> {}',
      'export function run(): void {',
      '  step();',
      '  setInterval(async () => step(), 1000);',
      '}',
    ].join('\n');
    expect(await ruleIds(code, 'client/status.ts')).toEqual(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises']);
  });
});
