/** Field-level normalizers: pure, total (they say why a value is bad instead of throwing). */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

const CLICK_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]00:?00)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** `created_at` is UTC (the README shows the lag peak vanishes in any other zone). */
export function parseClickTime(raw: string): Parsed<Date> {
  const m = CLICK_TIME.exec(raw.trim());
  if (!m) return bad(`expected 'YYYY-MM-DD HH:MM:SS' (UTC), got '${clip(raw)}'`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  // Date.UTC would roll 2024-02-30 over into March and read years below 100 as 19xx. Checking
  // the fields costs a third of reading them back from a Date (a million rows at 10x).
  const monthDays = mo === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[mo - 1];
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > monthDays || h > 23 || mi > 59 || s > 59) {
    return bad(`not a calendar date-time: '${clip(raw)}'`);
  }
  return ok(new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms)));
}

const EPOCH_MIN = Date.UTC(2000, 0, 1) / 1000;
const EPOCH_MAX = Date.UTC(2100, 0, 1) / 1000;

/** Broker `timestamp`: Unix epoch seconds. Milliseconds are refused, not guessed at. */
export function parseEpochSeconds(raw: string): Parsed<Date> {
  const v = raw.trim();
  if (!/^\d+(\.0+)?$/.test(v)) return bad(`expected Unix epoch seconds, got '${clip(raw)}'`);
  const seconds = Number(v);
  if (seconds > EPOCH_MAX && seconds / 1000 > EPOCH_MIN && seconds / 1000 < EPOCH_MAX) {
    return bad(`'${clip(raw)}' looks like epoch milliseconds; expected seconds`);
  }
  if (seconds < EPOCH_MIN || seconds > EPOCH_MAX) return bad(`epoch seconds out of range (2000..2100): '${clip(raw)}'`);
  return ok(new Date(seconds * 1000));
}

export function parseIsMobile(raw: string): Parsed<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true') return ok(true);
  if (v === '0' || v === 'false') return ok(false);
  return bad(`expected 0 or 1, got '${clip(raw)}'`);
}

/** `important_score`: an integer, or null when the sheet delivered `#REF!` or other text (missing is not zero). */
export function parseScore(raw: string): number | null {
  const v = raw.trim();
  if (!/^[+-]?\d{1,9}$/.test(v)) return null;
  return Number(v);
}

// Vulnerability-scanner probes: quotes, backslashes, markup, comment markers, or SQL verbs
// in SQL-like context. Plain words ("select-broker") are not enough to flag a value.
const SUSPICIOUS = [
  /['"`\\<>]/,
  /--|\/\*|\*\//,
  /%2[27]|%3[CcEe]|%00/,
  /\b(union\s+(all\s+)?select|select\s+.+\s+from|insert\s+into|delete\s+from|drop\s+table|update\s+\w+\s+set)\b/i,
  /\b(sleep|pg_sleep|benchmark|waitfor\s+delay)\s*\(/i,
  /\b(or|and)\s+\d+\s*=\s*\d+/i,
  /\bjavascript:|\bon\w+\s*=/i,
];

export function isSuspiciousPayload(value: string): boolean {
  return SUSPICIOUS.some((re) => re.test(value));
}

export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
