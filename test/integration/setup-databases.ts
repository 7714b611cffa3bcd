import { afterAll } from 'vitest';
import { dropOrKeep } from './databases';

// Runs after every other hook of each integration test file, when its results are known.
afterAll(async ({}, file) => {
  await dropOrKeep(file);
});
