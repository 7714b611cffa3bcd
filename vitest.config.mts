import { defineConfig } from 'vitest/config';

// Two projects: unit tests need nothing; integration tests share one Temporal dev server
// per run (globalSetup) and each file makes its own database and task queue, dropped after
// it unless it failed (setupFiles).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/setup-databases.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // 2 cores: files run one at a time so worker + Temporal + PostgreSQL are not starved.
          fileParallelism: false,
        },
      },
    ],
  },
});
