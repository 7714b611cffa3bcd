import { describe, expect, it } from 'vitest';
import { isSuspiciousPayload, parseClickTime, parseEpochSeconds, parseIsMobile, parseScore } from '../../activities/normalize/fields';

describe('parseClickTime (created_at, UTC)', () => {
  it('reads the delivered format as UTC', () => {
    const r = parseClickTime('2024-05-06 13:02:38');
    expect(r).toEqual({ ok: true, value: new Date('2024-05-06T13:02:38Z') });
  });
  it('accepts ISO variants with T, fractions and an explicit UTC offset', () => {
    for (const v of ['2024-05-06T13:02:38', '2024-05-06T13:02:38Z', '2024-05-06 13:02:38.000', ' 2024-05-06 13:02:38+00:00 ']) {
      const r = parseClickTime(v);
      expect(r.ok && r.value.toISOString()).toBe('2024-05-06T13:02:38.000Z');
    }
  });
  it('refuses impossible dates and other formats, saying what it got', () => {
    expect(parseClickTime('2024-02-30 10:00:00')).toEqual({ ok: false, reason: "not a calendar date-time: '2024-02-30 10:00:00'" });
    expect(parseClickTime('2024-05-06 24:00:00').ok).toBe(false);
    expect(parseClickTime('06/05/2024 13:02')).toEqual({ ok: false, reason: "expected 'YYYY-MM-DD HH:MM:SS' (UTC), got '06/05/2024 13:02'" });
    expect(parseClickTime('').ok).toBe(false);
  });
  it('knows leap years, month lengths and that a two-digit year is not 19xx', () => {
    expect(parseClickTime('2024-02-29 10:00:00').ok).toBe(true);
    expect(parseClickTime('2000-02-29 10:00:00').ok).toBe(true);
    for (const v of ['2023-02-29 10:00:00', '1900-02-29 10:00:00', '2024-04-31 10:00:00', '2024-00-10 10:00:00', '2024-13-01 10:00:00', '2024-01-00 10:00:00', '0050-01-01 00:00:00']) {
      expect(parseClickTime(v)).toEqual({ ok: false, reason: `not a calendar date-time: '${v}'` });
    }
    const r = parseClickTime('0100-03-01 00:00:00.5');
    expect(r.ok && r.value.toISOString()).toBe('0100-03-01T00:00:00.500Z');
  });
});

describe('parseEpochSeconds (broker timestamp)', () => {
  it('reads Unix seconds', () => {
    const r = parseEpochSeconds('1713716146');
    expect(r.ok && r.value.toISOString()).toBe('2024-04-21T16:15:46.000Z');
    expect(parseEpochSeconds('1713716146.0').ok).toBe(true);
  });
  it('refuses milliseconds instead of guessing', () => {
    const r = parseEpochSeconds('1713716146000');
    expect(r).toEqual({ ok: false, reason: "'1713716146000' looks like epoch milliseconds; expected seconds" });
  });
  it('refuses text, negatives and out-of-range values', () => {
    expect(parseEpochSeconds('yesterday').ok).toBe(false);
    expect(parseEpochSeconds('-5').ok).toBe(false);
    expect(parseEpochSeconds('12').ok).toBe(false);
  });
});

describe('parseIsMobile', () => {
  it('maps 0/1 and true/false', () => {
    expect(parseIsMobile('1')).toEqual({ ok: true, value: true });
    expect(parseIsMobile('0')).toEqual({ ok: true, value: false });
    expect(parseIsMobile(' TRUE ')).toEqual({ ok: true, value: true });
    expect(parseIsMobile('false')).toEqual({ ok: true, value: false });
  });
  it('refuses anything else', () => {
    expect(parseIsMobile('2').ok).toBe(false);
    expect(parseIsMobile('').ok).toBe(false);
  });
});

describe('parseScore', () => {
  it('reads integers', () => {
    expect(parseScore('0')).toBe(0);
    expect(parseScore('10')).toBe(10);
    expect(parseScore(' 86 ')).toBe(86);
  });
  it('gives null, never 0, for #REF! and other non-numbers', () => {
    for (const v of ['#REF!', '', 'N/A', '1.5', '1e3', '9999999999']) expect(parseScore(v)).toBeNull();
  });
});

describe('isSuspiciousPayload', () => {
  it('flags the injection strings seen in the data and common probes', () => {
    for (const v of [
      "front-page-visit-broker-button'",
      "01homepa/02notrel/03notrel'",
      '"><script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      "x' OR 1=1 --",
      '1; DROP TABLE users',
      'a\\b',
      "' UNION SELECT password FROM users",
      'sleep(5)#',
      '%27%20or%201%3D1',
    ]) {
      expect(isSuspiciousPayload(v), v).toBe(true);
    }
  });
  it('leaves ordinary values alone', () => {
    for (const v of ['dynamic score top broker list row', 'select-broker-button', 'broker-chapter-1/summary', '01safety/02isscam/03notrel', 'Peace', '']) {
      expect(isSuspiciousPayload(v), v).toBe(false);
    }
  });
});
