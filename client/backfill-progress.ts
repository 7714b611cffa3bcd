import type { Client } from '@temporalio/client';
import { backfillProgressQuery } from '../workflows';
import type { BackfillProgress } from '../workflows/types';
import { clock, progressSink, watch, type ProgressView } from './progress';

export interface BackfillView {
  progress: BackfillProgress;
  /** When the client started the backfill (its own clock). */
  since: number;
}

const BAR_WIDTH = 20;

/** The line for the record, once per day ended. */
export function backfillLine({ progress: p }: BackfillView): string {
  if (p.days === undefined) return '  backfill: reading the landing zone';
  return `  backfill: ${p.done} of ${p.days} days done${p.failed ? `, ${p.failed} failed` : ''}${p.staged ? `, ${p.staged} staged` : ''}`;
}

/** The live line: a bar of the days done, the days in flight, elapsed time and, once a day is done, the time left at the pace so far. */
export function backfillLiveLine(v: BackfillView, now: number): string {
  const p = v.progress;
  const elapsed = now - v.since;
  if (p.days === undefined) return `  backfill: reading the landing zone · ${clock(elapsed)}`;
  const filled = p.days ? Math.round((BAR_WIDTH * p.done) / p.days) : BAR_WIDTH;
  const parts = [`  [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${p.done}/${p.days} days`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.staged) parts.push(`${p.staged} staged, to be matched together`);
  if (p.inFlight.length) parts.push(`in flight ${[...p.inFlight].sort().join(', ')}`);
  parts.push(clock(elapsed));
  if (p.done > 0 && p.done < p.days) parts.push(`~${clock((elapsed / p.done) * (p.days - p.done))} left`);
  return parts.join(' · ');
}

const backfillView: ProgressView<BackfillView> = { live: backfillLiveLine, line: backfillLine };

/** Shows a backfill's days until stopped: a line per day ended, and on a terminal the live line. */
export function watchBackfill(client: Client, workflowId: string, log: (line: string) => void, terminal?: NodeJS.WriteStream): { stop(): Promise<void> } {
  const since = Date.now();
  const look = async () => ({ progress: await client.workflow.getHandle(workflowId).query(backfillProgressQuery), since });
  return watch(client, look, progressSink(backfillView, log, terminal));
}
