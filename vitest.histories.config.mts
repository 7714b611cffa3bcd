import { defineConfig } from 'vitest/config';

// `npm run record-histories`: records the workflow histories the replay test replays, on a dev
// server and workflow bundle of its own (the integration tests' global setup). Not part of
// `npm test`, which only replays them.
export default defineConfig({
  test: {
    include: ['test/fixtures/histories/record.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
