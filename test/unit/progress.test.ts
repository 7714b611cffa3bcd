import { describe, expect, it } from 'vitest';
import { backfillLine, backfillLiveLine } from '../../client/backfill-progress';
import { batchLiveLine, progressLine } from '../../client/batch-progress';
import { clock } from '../../client/progress';

describe('progressLine', () => {
  it('draws the four steps with the current one marked, and the counts', () => {
    expect(progressLine({ step: 'starting', counts: {} })).toBe('  [▶···] starting  ');
    expect(progressLine({ step: 'match', counts: { conversionsRead: 10, matched: 3 } })).toBe('  [██▶·] match     conversionsRead=10 matched=3');
    expect(progressLine({ step: 'completed', counts: {} })).toBe('  [████] completed ');
    // a held batch, staged, waits to be released to match
    expect(progressLine({ step: 'waiting', counts: {} })).toBe('  [██▶·] waiting   ');
  });
});

describe('the live line of a batch', () => {
  const since = 0;
  it('shows the rows of normalize by source, their rate over the heartbeats, and the elapsed times', () => {
    const running = { details: { conversions: 40_000, broker: 20_000 }, attempt: 1, startedAt: 5_000, beatAt: 8_000 };
    expect(batchLiveLine({ progress: { step: 'normalize', counts: {} }, since, running }, 9_500)).toBe(
      '  ▶ normalize · 60,000 rows (conversions 40,000, broker 20,000) · 20,000 rows/s · step 0:04 · total 0:09',
    );
  });

  it('shows the records match has matched, or the days it has counted before it matches any, and a retry', () => {
    const at = (details: Record<string, number>, attempt = 1) =>
      batchLiveLine({ progress: { step: 'match', counts: {} }, since, running: { details, attempt, startedAt: 1_000, beatAt: 3_000 } }, 3_000);
    expect(at({ daysCounted: 4 })).toBe('  ▶ match     · 4 days counted · step 0:02 · total 0:03');
    expect(at({ daysCounted: 9, daysMatched: 2, recordsMatched: 1_500 }, 2)).toBe(
      '  ▶ match     · 1,500 records (2 days matched) · 750 records/s · attempt 2 · step 0:02 · total 0:03',
    );
  });

  it('shows the elapsed time alone for a step without rows, or before its first heartbeat', () => {
    expect(batchLiveLine({ progress: { step: 'publish', counts: {} }, since, running: { details: {}, attempt: 1, startedAt: 2_000 } }, 4_000)).toBe(
      '  ▶ publish   · step 0:02 · total 0:04',
    );
    expect(batchLiveLine({ progress: { step: 'ingest', counts: {} }, since }, 1_000)).toBe('  ▶ ingest    · total 0:01');
  });
});

describe('the lines of a backfill', () => {
  const view = (done: number, inFlight: string[], failed = 0) => ({ progress: { days: 10, done, failed, inFlight }, since: 0 });
  it('draws days done of days total, the days in flight and the time left at the pace so far', () => {
    expect(backfillLiveLine(view(4, ['2024-04-06', '2024-04-05'], 1), 20_000)).toBe(
      '  [████████░░░░░░░░░░░░] 4/10 days · 1 failed · in flight 2024-04-05, 2024-04-06 · 0:20 · ~0:30 left',
    );
    expect(backfillLine(view(4, [], 1))).toBe('  backfill: 4 of 10 days done, 1 failed');
  });

  it('counts the days staged, waiting to be matched together', () => {
    const staging = { progress: { days: 10, done: 0, failed: 0, inFlight: ['2024-04-04'], staged: 3 }, since: 0 };
    expect(backfillLine(staging)).toBe('  backfill: 0 of 10 days done, 3 staged');
    expect(backfillLiveLine(staging, 5_000)).toBe('  [░░░░░░░░░░░░░░░░░░░░] 0/10 days · 3 staged, to be matched together · in flight 2024-04-04 · 0:05');
  });

  it('says so while the landing zone is being read', () => {
    const reading = { progress: { done: 0, failed: 0, inFlight: [] }, since: 0 };
    expect(backfillLine(reading)).toBe('  backfill: reading the landing zone');
    expect(backfillLiveLine(reading, 2_000)).toBe('  backfill: reading the landing zone · 0:02');
  });
});

describe('clock', () => {
  it('reads minutes and seconds, and hours past an hour', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(65_400)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
  });
});
