import { hash } from 'node:crypto';
import type { BrokerRecord } from './rows';

/**
 * Broker rows have no id. The id hashes the delivered content plus the row's rank among
 * identical rows (1 for the first), so a re-delivery gets the same ids and two users
 * registering in the same second (identical rows) stay two records. It starts with the
 * registration time: every index on it then grows at its end, where a purely random id touched
 * a random page of an index larger than the server's buffers for each row (superlinear at 100x).
 * Computed in the stream, where the worker has the row anyway: in SQL, the hash and the time
 * text with a window over four text columns for the rank took 40% of a 10x normalize.
 */
export function brokerRecordId(r: Pick<BrokerRecord, 'timestampRaw' | 'residencyRaw' | 'ipCountryRaw' | 'scoreRaw' | 'registeredAt'>, rank: number): string {
  // The fields as PostgreSQL's concat_ws(chr(31), ...) joined them when ids were made there:
  // the ids of staged rows stay what they were.
  const content = `${r.timestampRaw}\x1f${r.residencyRaw}\x1f${r.ipCountryRaw}\x1f${r.scoreRaw}\x1f${rank}`;
  // The one-shot hash: a Hash object per row cost 2.4x as much (0.52 s against 0.22 s for 551k rows).
  return `br_${compactUtc(r.registeredAt)}_${hash('md5', content, 'hex').slice(0, 16)}`;
}

/** YYYYMMDDTHHMMSS in UTC, fractions of a second dropped. */
function compactUtc(d: Date): string {
  const p = (n: number) => (n < 10 ? '0' : '') + n;
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
