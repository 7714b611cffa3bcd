import { describe, expect, it } from 'vitest';
import { RepeatedKeys } from '../../activities/normalize/repeated-keys';

describe('RepeatedKeys', () => {
  it('reports every line of a repeated key, first sighting included, and nothing else', () => {
    const keys = new RepeatedKeys();
    ['a', 'b', 'a', 'c', 'b', 'a'].forEach((k, i) => keys.add(k, i + 2));
    expect(keys.lines()).toEqual([2, 3, 4, 6, 7]);
  });

  it('finds the planted repeats among 300,000 distinct keys, across many resizes', () => {
    const keys = new RepeatedKeys();
    let line = 2;
    for (let i = 0; i < 300_000; i++) keys.add(String(5_200_000 + i), line++);
    keys.add('5200007', line++);
    keys.add('5299999', line++);
    expect(keys.lines()).toEqual([9, 100_001, 300_002, 300_003]);
  });

  it('tells keys apart that differ in one character or only in length', () => {
    const keys = new RepeatedKeys();
    ['x', 'x\u0000', 'y', 'xx', 'br_20240401T000001_d84bc6146c40c8ca', 'br_20240401T000001_d84bc6146c40c8cb'].forEach((k, i) => keys.add(k, i + 2));
    expect(keys.lines()).toEqual([]);
  });
});
