import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputRejected } from '../../activities/errors';
import { backfillWorkflow, batchWorkflow, dailyWorkflow, progressQuery } from '../../workflows';
import { addDays, dayOf } from '../../workflows/days';
import { INPUT_REJECTED } from '../../workflows/failures';
import { BATCH_DAY, BATCH_ID, batchWorkflowId } from '../../workflows/ids';
import { callsOf, deliveredFiles, MATCHED, mockActivities, NORMALIZED, PUBLISHED, untilCancelled } from '../fixtures/mocked-activities';
import { mockedEnvironment, runScheduledAt, withWorker } from './mocked-worker';

// The workflows alone, on the run's dev server, with activities that only answer: what each
// step is asked, in which order, and what a failure, a cancel, a schedule's nominal time or a
// long range does to the orchestration. The real activities are tested end to end elsewhere.
// Days are in 2031, which no other test's batches use, so no workflow id is shared.

const LANDING = 'landing';
const files = deliveredFiles(LANDING, '2031-03-01');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await mockedEnvironment();
});
afterAll(async () => {
  await env?.teardown();
});

describe('the batch workflow', () => {
  it('runs ingest, normalize, match and publish in order and returns their counts', async () => {
    const { activities, calls } = mockActivities();
    const input = { batchId: 'wf-success', files };
    const { summary, progress } = await withWorker(env, activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(batchWorkflow, { taskQueue, workflowId: batchWorkflowId(input.batchId), args: [input] });
      return { summary: await handle.result(), progress: await handle.query(progressQuery) };
    });
    expect(calls.map((c) => c.name)).toEqual(['ingest', 'normalize', 'match', 'publish']);
    expect(calls[0].args).toEqual([input]);
    const [conversions, broker] = NORMALIZED.map(({ read, accepted, quarantined, collapsed }) => ({ read, accepted, quarantined, collapsed }));
    expect(summary).toMatchObject({ batch: 'wf-success', status: 'completed', conversions, broker, published: PUBLISHED, matched: MATCHED.matched });
    expect(summary.estimatedFalseMatches).toBe(MATCHED.estimatedFalseMatches);
    // publish records the summary as the batch's figures: the counts it was given are the ones returned
    expect(calls[3].args[1]).toMatchObject({ batch: 'wf-success', conversions, broker, matched: MATCHED.matched, brokerUnmatched: MATCHED.brokerUnmatched });
    expect(progress).toEqual({
      step: 'completed',
      counts: { conversionsRead: 12, brokerRead: 9, conversionsAccepted: 10, brokerAccepted: 9, matched: MATCHED.matched, published: PUBLISHED },
    });
  });

  it('returns the earlier summary and does nothing more when ingest finds the files unchanged', async () => {
    const earlier = { batch: 'wf-unchanged', status: 'completed' as const, conversions: NORMALIZED[0], broker: NORMALIZED[1], matched: 1, brokerUnmatched: 0, estimatedFalseMatches: 0, published: 1, durationMs: 5 };
    const { activities, calls } = mockActivities({ ingest: async () => ({ files: [], unchanged: earlier }) });
    const summary = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(batchWorkflow, { taskQueue, workflowId: batchWorkflowId('wf-unchanged'), args: [{ batchId: 'wf-unchanged', files }] }),
    );
    expect(summary).toEqual(earlier);
    expect(calls.map((c) => c.name)).toEqual(['ingest']);
  });

  it('fails at once on bad input, without a retry, naming file, line and reason, and records the failure', async () => {
    const { activities, calls } = mockActivities({
      normalize: async () => {
        throw inputRejected('broker_data.csv', 7, 'missing column registered_at');
      },
    });
    const failure = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(batchWorkflow, { taskQueue, workflowId: batchWorkflowId('wf-rejected'), args: [{ batchId: 'wf-rejected', files }] }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: INPUT_REJECTED, nonRetryable: true, message: 'broker_data.csv line 7: missing column registered_at' });
    expect((cause as ApplicationFailure).details).toEqual([{ file: 'broker_data.csv', line: 7, reason: 'missing column registered_at' }]);
    expect(calls.map((c) => c.name)).toEqual(['ingest', 'normalize', 'recordFailure']);
    expect(calls[2].args).toEqual(['wf-rejected', 'broker_data.csv line 7: missing column registered_at']);
  });

  it('retries a transient failure of a step and goes on', async () => {
    let attempts = 0;
    const { activities, calls } = mockActivities({
      match: async () => {
        if (++attempts === 1) throw new Error('connection terminated unexpectedly');
        return MATCHED;
      },
    });
    const summary = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(batchWorkflow, { taskQueue, workflowId: batchWorkflowId('wf-retried'), args: [{ batchId: 'wf-retried', files }] }),
    );
    expect(summary.status).toBe('completed');
    expect(calls.map((c) => c.name)).toEqual(['ingest', 'normalize', 'match', 'match', 'publish']);
  });

  it('on a cancel, waits for the step in flight to stop, records where it stopped and ends cancelled', async () => {
    const events: string[] = [];
    let entered!: () => void;
    const inMatch = new Promise<void>((resolve) => (entered = resolve));
    const { activities, calls } = mockActivities({
      match: untilCancelled(entered, () => events.push('match stopped')),
    });
    const ended = await withWorker(env, activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(batchWorkflow, { taskQueue, workflowId: batchWorkflowId('wf-cancelled'), args: [{ batchId: 'wf-cancelled', files }] });
      await inMatch;
      expect((await handle.query(progressQuery)).step).toBe('match');
      await handle.cancel();
      const failure = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      events.push('batch ended');
      return { failure, status: (await handle.describe()).status.name };
    });
    expect(ended.failure).toBeInstanceOf(WorkflowFailedError);
    expect((ended.failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(ended.status).toBe('CANCELLED');
    expect(events).toEqual(['match stopped', 'batch ended']);
    expect(calls.map((c) => c.name)).toEqual(['ingest', 'normalize', 'match', 'recordCancelled']);
    expect(calls[3].args).toEqual(['wf-cancelled', 'match']);
  });
});

describe('the daily workflow', () => {
  it("processes the day before its schedule's nominal time, not the wall clock's", async () => {
    const { activities, calls } = mockActivities();
    const { result: run } = await withWorker(env, activities, (taskQueue) => runScheduledAt(env, taskQueue, new Date('2031-01-01T03:00:00Z'), { landing: LANDING }));
    // The run stood for 2031-01-01 03:00, whenever it ran: it processes 2030-12-31.
    expect(calls[0]).toEqual({ name: 'dayDelivery', args: [LANDING, '2030-12-31'] });
    expect(run).toMatchObject({ batch: '2030-12-31', status: 'completed' });
    expect(callsOf(calls, '2030-12-31').map((c) => c.name)).toEqual(['ingest', 'normalize', 'match', 'publish']);
    expect(callsOf(calls, '2030-12-31')[0].args).toEqual([{ batchId: '2030-12-31', day: '2030-12-31', files: deliveredFiles(LANDING, '2030-12-31') }]);
  });

  it('started by hand, processes the day before its start, or the day it is given; nothing delivered, no batch', async () => {
    const { activities, calls } = mockActivities({ dayDelivery: async (_landing, day) => ({ day, files: {} }) });
    const { started, results } = await withWorker(env, activities, async (taskQueue) => {
      const byHand = await env.client.workflow.start(dailyWorkflow, { taskQueue, workflowId: `wf-daily-by-hand-${process.pid}`, args: [{ landing: LANDING }] });
      const ofByHand = await byHand.result();
      const given = await env.client.workflow.execute(dailyWorkflow, { taskQueue, workflowId: `wf-daily-given-${process.pid}`, args: [{ landing: LANDING, day: '2031-02-03' }] });
      return { started: (await byHand.describe()).startTime, results: [ofByHand, given] };
    });
    expect(calls).toEqual([
      { name: 'dayDelivery', args: [LANDING, addDays(dayOf(started), -1)] },
      { name: 'dayDelivery', args: [LANDING, '2031-02-03'] },
    ]);
    expect(results).toEqual([null, null]);
  });

  it('starts the day as the child batch `batch-<day>`, findable by BatchId and BatchDay', async () => {
    const { activities } = mockActivities();
    const attributes = await withWorker(env, activities, async (taskQueue) => {
      await env.client.workflow.execute(dailyWorkflow, { taskQueue, workflowId: `wf-daily-child-${process.pid}`, args: [{ landing: LANDING, day: '2031-02-04' }] });
      return (await env.client.workflow.getHandle(batchWorkflowId('2031-02-04')).describe()).typedSearchAttributes;
    });
    expect(attributes.get(BATCH_ID)).toBe('2031-02-04');
    expect(attributes.get(BATCH_DAY)).toBe('2031-02-04');
  });
});

describe('the backfill workflow', () => {
  const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => addDays(from, i));

  it('runs at most `concurrency` days at once, all of them, and a failed day does not stop the others', async () => {
    const range = days('2031-04-01', 7);
    let inFlight = 0;
    let most = 0;
    let second!: () => void;
    const twoInFlight = new Promise<void>((resolve) => (second = resolve));
    const { activities } = mockActivities({
      discoverDays: async () => range.map((day) => ({ day, files: deliveredFiles(LANDING, day) })),
      ingest: async (input) => {
        most = Math.max(most, ++inFlight);
        if (inFlight === 2) second();
        // Each day stays in flight until two lanes have run at once, so the count cannot be luck.
        await Promise.race([twoInFlight, new Promise((r) => setTimeout(r, 10_000))]);
        await new Promise((r) => setTimeout(r, 100));
        inFlight--;
        if (input.batchId === '2031-04-03') throw inputRejected('brokerchooser_conversions.csv', 2, 'not a CSV file');
        return { files: [] };
      },
    });
    const outcomes = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(backfillWorkflow, {
        taskQueue,
        workflowId: `wf-backfill-lanes-${process.pid}`,
        args: [{ landing: LANDING, from: range[0], to: range[range.length - 1], concurrency: 2 }],
      }),
    );
    expect(most).toBe(2);
    expect(outcomes.map((o) => `${o.day} ${o.status}`)).toEqual(range.map((d) => `${d} ${d === '2031-04-03' ? 'failed' : 'completed'}`));
    expect(outcomes.find((o) => o.status === 'failed')).toMatchObject({ rejected: true, error: 'brokerchooser_conversions.csv line 2: not a CSV file' });
  });

  it('stages every day before any day is matched, then matches and publishes each day once; a day that cannot start fails alone', async () => {
    const range = days('2031-06-01', 5);
    const unreadable = range[1];
    const { activities, calls } = mockActivities({
      discoverDays: async () => range.map((day) => ({ day, files: deliveredFiles(LANDING, day) })),
      dayDelivery: async (landing, day) => {
        if (day === unreadable) throw ApplicationFailure.nonRetryable(`cannot read ${landing}/${day}`, INPUT_REJECTED);
        return { day, files: deliveredFiles(landing, day) };
      },
    });
    const outcomes = await withWorker(env, activities, (taskQueue) =>
      env.client.workflow.execute(backfillWorkflow, {
        taskQueue,
        workflowId: `wf-backfill-staged-${process.pid}`,
        args: [{ landing: LANDING, from: range[0], to: range[range.length - 1], concurrency: 2 }],
      }),
    );
    const names = calls.map((c) => c.name);
    const normalized = calls.filter((c) => c.name === 'normalize');
    const started = range.filter((d) => d !== unreadable);
    expect(normalized.map((c) => c.args[0]).sort()).toEqual(started);
    // Held: the days' statistics are left to the match that takes them all.
    expect(normalized.every((c) => (c.args[1] as { analyze: boolean }).analyze === false)).toBe(true);
    expect(names.lastIndexOf('normalize')).toBeLessThan(names.indexOf('match'));
    expect(calls.filter((c) => c.name === 'match').map((c) => c.args[0]).sort()).toEqual(started);
    expect(calls.filter((c) => c.name === 'publish').map((c) => c.args[0]).sort()).toEqual(started);
    // A day that could not be started fails alone; the others are matched all the same.
    expect(outcomes.map((o) => `${o.day} ${o.status}`)).toEqual(range.map((d) => `${d} ${d === unreadable ? 'failed' : 'completed'}`));
    expect(outcomes.find((o) => o.day === unreadable)).toMatchObject({ rejected: true, error: `cannot read ${LANDING}/${unreadable}` });
  });

  it('reports a day whose batch alone was cancelled as cancelled, and the other days as completed', async () => {
    const range = days('2031-07-01', 3);
    const alone = range[1];
    let entered!: () => void;
    const inMatch = new Promise<void>((resolve) => (entered = resolve));
    const waiting = untilCancelled(entered);
    const { activities } = mockActivities({
      discoverDays: async () => range.map((day) => ({ day, files: deliveredFiles(LANDING, day) })),
      match: async (batchId) => (batchId === alone ? waiting() : MATCHED),
    });
    const outcomes = await withWorker(env, activities, async (taskQueue) => {
      const backfill = await env.client.workflow.start(backfillWorkflow, {
        taskQueue,
        workflowId: `wf-backfill-cancel-one-${process.pid}`,
        args: [{ landing: LANDING, from: range[0], to: range[range.length - 1] }],
      });
      await inMatch;
      await env.client.workflow.getHandle(batchWorkflowId(alone)).cancel();
      return backfill.result();
    });
    expect(outcomes.map((o) => `${o.day} ${o.status}`)).toEqual(range.map((d) => `${d} ${d === alone ? 'cancelled' : 'completed'}`));
  });

  it('continues as new after 60 days, carrying what is left and what is done', async () => {
    const range = days('2031-05-01', 63);
    const { activities, calls } = mockActivities({ discoverDays: async () => range.map((day) => ({ day, files: deliveredFiles(LANDING, day) })) });
    const { outcomes, first, last, continuedFrom } = await withWorker(env, activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(backfillWorkflow, {
        taskQueue,
        workflowId: `wf-backfill-long-${process.pid}`,
        args: [{ landing: LANDING, from: range[0], to: range[range.length - 1], concurrency: 8 }],
      });
      // The handle follows the chain of runs to the last one's result.
      const outcomes = await handle.result();
      const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      const lastHandle = env.client.workflow.getHandle(handle.workflowId);
      const started = (await lastHandle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
      return { outcomes, first, last: await lastHandle.describe(), continuedFrom: started?.continuedExecutionRunId };
    });
    // Two runs: the first continued as new, the second (continued from it) did the rest.
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(last.status.name).toBe('COMPLETED');
    expect(continuedFrom).toBe(first.runId);
    expect(outcomes.map((o) => o.day)).toEqual(range);
    expect(outcomes.every((o) => o.status === 'completed')).toBe(true);
    // The range is discovered once: the second run takes the days left from its input.
    expect(calls.filter((c) => c.name === 'discoverDays')).toHaveLength(1);
    expect(calls.filter((c) => c.name === 'publish')).toHaveLength(63);
  });
});
