/** Field-level normalizers: pure, total (they say why a value is bad instead of throwing). */

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

const CLICK_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]00:?00)?$/;

/** `created_at` is UTC (the README shows the lag peak vanishes in any other zone). */
export function parseClickTime(raw: string): Parsed<Date> {
  const m = CLICK_TIME.exec(raw.trim());
  if (!m) return bad(`expected 'YYYY-MM-DD HH:MM:SS' (UTC), got '${clip(raw)}'`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
  // Date.UTC rolls 2024-02-30 over into March; a real timestamp round-trips.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return bad(`not a calendar date-time: '${clip(raw)}'`);
  }
  return ok(date);
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
