import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Type-aware rules for what tsc cannot see: a promise nobody awaits (its rejection is lost,
// or a step runs out of order) and a promise where a plain value is expected (an async
// callback to setInterval, a condition that is always true). Style is left to the reader.
const PROMISE_RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
};

// Workflow code runs in Temporal's deterministic sandbox, bundled apart from everything else:
// Node's modules are not there, and I/O in a workflow would break replay. Activities are
// called through proxyActivities, so their types are all a workflow may take from them.
const WORKFLOW_SANDBOX = {
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      paths: [
        ...builtinModules.map((name) => ({ name, message: 'Node built-ins are not available in the workflow sandbox.' })),
        ...['pg', 'pg-copy-streams', 'csv-parse'].map((name) => ({ name, message: 'Workflows do no I/O: call an activity.' })),
        ...['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'].map((name) => ({
          name,
          message: 'Only @temporalio/workflow and @temporalio/common run in the workflow sandbox.',
        })),
      ],
      patterns: [
        { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
        { group: ['pg-*', 'fs-*'], message: 'Workflows do no I/O: call an activity.' },
        {
          group: ['**/activities', '**/activities/**'],
          allowTypeImports: true,
          message: 'Workflows take only types from activities (`import type`); they run them through proxyActivities.',
        },
      ],
    },
  ],
};

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', '.data/**'] },
  {
    files: ['**/*.ts', '**/*.mts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: PROMISE_RULES,
  },
  { files: ['workflows/**/*.ts'], rules: WORKFLOW_SANDBOX },
);
