import type { Client } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { progressQuery } from '../workflows';
import type { BatchProgress } from '../workflows/types';
import { clock, count, progressSink, watch, type ProgressView } from './progress';

/** What a person is shown of a batch: the workflow's `progress` query and its running step's heartbeats. */
export interface BatchView {
  progress: BatchProgress;
  /** When the client started the batch (its own clock). */
  since: number;
  running?: RunningStep;
}

/** The step in flight, from the workflow's pending activity. */
export interface RunningStep {
  /** The activity's heartbeat details: counts so far (activities/heartbeat.ts). */
  details: Record<string, number>;
  attempt: number;
  /** Server times of the attempt's start and of its last heartbeat, in ms. */
  startedAt?: number;
  beatAt?: number;
}

const STEPS = ['ingest', 'normalize', 'match', 'publish'] as const;

/** A bar of the four steps and the counts so far, from the workflow's `progress` query. */
export function progressLine(p: BatchProgress): string {
  // A held batch waits with its rows staged, before match.
  const at = p.step === 'waiting' ? 'match' : p.step;
  const done = at === 'completed' ? STEPS.length : Math.max(0, STEPS.indexOf(at as (typeof STEPS)[number]));
  const bar = '█'.repeat(done) + (done < STEPS.length ? '▶' : '') + '·'.repeat(Math.max(0, STEPS.length - done - 1));
  const counts = Object.entries(p.counts).map(([k, v]) => `${k}=${v}`).join(' ');
  return `  [${bar}] ${p.step.padEnd(9)} ${counts}`;
}

/**
 * The rows a step reports in its heartbeats: normalize the rows read of each source, match the
 * broker records it has matched. Their rate is over the server's times of the attempt's start
 * and last heartbeat, so a slow poll or a late heartbeat does not bend it.
 */
const ROWS: Partial<Record<string, { unit: string; rows: (d: Record<string, number>) => number; parts?: (d: Record<string, number>) => string[] }>> = {
  normalize: {
    unit: 'rows',
    rows: (d) => Object.values(d).reduce((a, b) => a + b, 0),
    parts: (d) => Object.entries(d).map(([source, n]) => `${source} ${count(n)}`),
  },
  match: {
    unit: 'records',
    rows: (d) => d.recordsMatched ?? 0,
    parts: (d) => (d.daysMatched ? [`${d.daysMatched} days matched`] : d.daysCounted ? [`${d.daysCounted} days counted`] : []),
  },
};

/** The live line: the current step, its rows, their rate, and the step's and the batch's elapsed time. */
export function batchLiveLine(v: BatchView, now: number): string {
  const step = v.progress.step;
  const parts = [`  ▶ ${step.padEnd(9)}`];
  const r = v.running;
  const rows = ROWS[step];
  if (r && rows) {
    const n = rows.rows(r.details);
    const extra = rows.parts?.(r.details) ?? [];
    // Match counts days before it matches any record: "0 records" would read as nothing happening.
    if (n > 0 || !extra.length) parts.push(`${count(n)} ${rows.unit}${extra.length ? ` (${extra.join(', ')})` : ''}`);
    else parts.push(extra.join(', '));
    const seconds = r.startedAt !== undefined && r.beatAt !== undefined ? (r.beatAt - r.startedAt) / 1000 : 0;
    if (n > 0 && seconds > 0) parts.push(`${count(n / seconds)} ${rows.unit}/s`);
  }
  if (r && r.attempt > 1) parts.push(`attempt ${r.attempt}`);
  if (r?.startedAt !== undefined) parts.push(`step ${clock(now - r.startedAt)}`);
  parts.push(`total ${clock(now - v.since)}`);
  return parts.join(' · ');
}

const batchView: ProgressView<BatchView> = { live: batchLiveLine, line: (v) => progressLine(v.progress) };

/** Shows a batch's progress until stopped: a line per step, and on a terminal the live line of the step in flight. */
export function watchBatch(client: Client, workflowId: string, log: (line: string) => void, terminal?: NodeJS.WriteStream): { stop(): Promise<void> } {
  const since = Date.now();
  return watch(client, () => lookAt(client, workflowId, since), progressSink(batchView, log, terminal));
}

async function lookAt(client: Client, workflowId: string, since: number): Promise<BatchView> {
  const handle = client.workflow.getHandle(workflowId);
  const [progress, { raw }] = await Promise.all([handle.query(progressQuery), handle.describe()]);
  const pending = raw.pendingActivities?.find((a) => a.activityType?.name === progress.step);
  if (!pending) return { progress, since };
  const beat = pending.heartbeatDetails?.payloads?.[0];
  return {
    progress,
    since,
    running: {
      details: beat ? client.options.loadedDataConverter.payloadConverter.fromPayload<Record<string, number>>(beat) : {},
      attempt: pending.attempt ?? 1,
      startedAt: optionalTsToMs(pending.lastStartedTime),
      beatAt: optionalTsToMs(pending.lastHeartbeatTime),
    },
  };
}
