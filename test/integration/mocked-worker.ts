import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities';
import { dailyWorkflow } from '../../workflows';
import type { DailyInput } from '../../workflows/daily';
import { waitFor } from './wait-for';
import { installTestRuntime } from './harness';

/**
 * A test environment on the run's one dev server (global-setup.ts), not a server of its own:
 * the workflows need no time skipping (they sleep nowhere; the retries they are tested with
 * are the non-retryable ones), so the real server is the better one to test against.
 */
export async function mockedEnvironment(client: { identity?: string } = {}): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  return TestWorkflowEnvironment.createFromExistingServer({ address: inject('temporalAddress'), namespace: 'default', client });
}

let queues = 0;

/**
 * Runs `body` while a worker with the run's workflow bundle and the given activities serves a
 * task queue of its own, so no other test's workflows or activities can come in between.
 */
export async function withWorker<T>(
  env: TestWorkflowEnvironment,
  activities: Activities,
  body: (taskQueue: string) => Promise<T>,
  opts: { identity?: string } = {},
): Promise<T> {
  const taskQueue = `mocked-${process.pid}-${++queues}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities,
    // A cancel reaches an activity in the answer to a heartbeat, and heartbeats are throttled to
    // 80% of the heartbeat timeout by default: 16 s of waiting for each cancel.
    maxHeartbeatThrottleInterval: '100 milliseconds',
    ...(opts.identity ? { identity: opts.identity } : {}),
  });
  return worker.runUntil(() => body(taskQueue));
}

let schedules = 0;

/**
 * The daily workflow as its schedule starts it at `nominal`: a schedule that fires on that
 * minute of the year only, paused, and backfilled over that minute, so the run's nominal time
 * is `nominal` whenever it actually runs. Returns the run's id and result.
 */
export async function runScheduledAt(env: TestWorkflowEnvironment, taskQueue: string, nominal: Date, input: DailyInput) {
  const schedule = await env.client.schedule.create({
    scheduleId: `mocked-daily-${process.pid}-${++schedules}`,
    spec: { cronExpressions: [`${nominal.getUTCMinutes()} ${nominal.getUTCHours()} ${nominal.getUTCDate()} ${nominal.getUTCMonth() + 1} *`] },
    action: { type: 'startWorkflow', workflowType: dailyWorkflow, taskQueue, args: [input] },
    state: { paused: true },
  });
  try {
    await schedule.backfill({ start: nominal, end: new Date(nominal.getTime() + 60_000), overlap: 'ALLOW_ALL' });
    const workflowId = await waitFor('the run of the backfill', async () => (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId);
    return { workflowId, result: await env.client.workflow.getHandle<typeof dailyWorkflow>(workflowId).result() };
  } finally {
    await schedule.delete();
  }
}
