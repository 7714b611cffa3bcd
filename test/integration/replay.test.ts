import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historyFromJson } from '../fixtures/histories/history-json';
import { installTestRuntime } from './harness';

// Recorded histories of each workflow, replayed against the workflow code of this run's bundle:
// a change that would make a running execution take another path on its next task (a step
// added, removed or reordered, a different child id) fails here instead of in production.
// A change meant to do that re-records them (`npm run record-histories`, see the recorder)
// and must keep the executions in flight working, with `patched()` or a new workflow type.

const DIR = path.join(__dirname, '..', 'fixtures', 'histories');
const histories = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, history: historyFromJson(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))) }));

const typeOf = (h: (typeof histories)[number]['history']) => h.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

describe('replaying recorded histories against the current workflows', () => {
  it('has a history of each workflow', () => {
    expect(new Set(histories.map((h) => typeOf(h.history)))).toEqual(new Set(['batchWorkflow', 'dailyWorkflow', 'backfillWorkflow']));
  });

  it.each(histories)('replays $file', async ({ file, history }) => {
    installTestRuntime();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundle') }, replayName: file }, history, file);
  });
});
