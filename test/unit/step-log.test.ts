import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { recordStep } from '../../activities/heartbeat';
import { loadConfig } from '../../infra/config';

describe('a batch step', () => {
  it('logs one line at INFO through the activity logger when it is done, naming batch and step', async () => {
    const entries: LogEntry[] = [];
    const logger = new DefaultLogger('TRACE', (entry) => entries.push(entry));
    const recorded: unknown[][] = [];
    const pool = { query: async (_sql: string, params: unknown[]) => recorded.push(params) } as unknown as Pool;
    const env = new MockActivityEnvironment({ attempt: 2 }, { logger });

    const result = await env.run(recordStep, pool, 'b-17', 'match', async () => 42);

    expect(result).toBe(42);
    expect(recorded).toHaveLength(1);
    const lines = entries.filter((e) => e.level === 'INFO');
    expect(lines).toHaveLength(1);
    expect(lines[0].message).toMatch(/^match of batch b-17 done in \d+\.\d s \(attempt 2\)$/);
    expect(lines[0].meta).toMatchObject({ batchId: 'b-17', step: 'match' });
  });
});

describe('JOURNEY_LOG_LEVEL', () => {
  it('is WARN when unset, takes the SDK levels, and refuses anything else', () => {
    expect(loadConfig({}).logLevel).toBe('WARN');
    expect(loadConfig({ JOURNEY_LOG_LEVEL: 'INFO' }).logLevel).toBe('INFO');
    expect(() => loadConfig({ JOURNEY_LOG_LEVEL: 'verbose' })).toThrow(/invalid environment: JOURNEY_LOG_LEVEL/);
  });
});
