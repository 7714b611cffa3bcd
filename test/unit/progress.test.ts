import { describe, expect, it } from 'vitest';
import { progressLine } from '../../client/batch-progress';

describe('progressLine', () => {
  it('draws the four steps with the current one marked, and the counts', () => {
    expect(progressLine({ step: 'starting', counts: {} })).toBe('  [▶···] starting  ');
    expect(progressLine({ step: 'match', counts: { conversionsRead: 10, matched: 3 } })).toBe('  [██▶·] match     conversionsRead=10 matched=3');
    expect(progressLine({ step: 'completed', counts: {} })).toBe('  [████] completed ');
  });
});
