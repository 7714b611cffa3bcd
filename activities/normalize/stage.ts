import type { Pool, PoolClient } from 'pg';
import { markDays } from '../db/day-marks';
import { inTransaction } from '../db/pool';
import type { FileStore } from '../ingest/file-store';
import { FileRejected } from '../ingest/sniff';
import { daysOf } from '../match/days';
import { SOURCES, type SourceName, type SourceSpec } from '../sources';
import { brokerRecordId } from './record-id';
import { normalizeBrokerRecord, normalizeConversion, normalizeMapping } from './rows';
import { rawRecord, rowsAt, streamValidated, type StoredDelivery } from './stream-validated';

export interface SourceQuality {
  source: SourceName;
  read: number;
  accepted: number;
  quarantined: number;
  /** Accepted rows folded into an earlier row with the same key (geo fan-out duplicates). */
  collapsed: number;
  flags: Record<string, number>;
}

export interface NormalizeResult {
  sources: SourceQuality[];
  window: { from: string; to: string } | null;
}

/**
 * A file whose rows are mostly unreadable is the wrong file, not a file with a few bad rows:
 * above this share of quarantined rows the whole batch is rejected instead of published.
 */
export const MAX_QUARANTINE_SHARE = 0.5;

interface DeliveredFile extends StoredDelivery {
  source: SourceName;
}

export async function normalizeBatch(pool: Pool, store: FileStore, batchId: string, onProgress: (what: string, rows: number) => void): Promise<NormalizeResult> {
  const { rows: files } = await pool.query<{ source: SourceName; file_name: string; file_sha256: string }>(
    'SELECT source, file_name, file_sha256 FROM ops.batch_files WHERE batch_id = $1',
    [batchId],
  );
  const delivered = new Map<SourceName, DeliveredFile>(
    files.map((f) => [f.source, { source: f.source, fileName: f.file_name, sha256: f.file_sha256, path: store.pathOf(f.file_sha256, f.file_name) }]),
  );
  const result = await inTransaction(pool, async (tx) => {
    const before = await tx.query<{ window_from: Date | null; window_to: Date | null }>(
      'SELECT window_from, window_to FROM ops.batches WHERE batch_id = $1',
      [batchId],
    );
    await tx.query('DELETE FROM staging.quarantine WHERE batch_id = $1', [batchId]);
    await tx.query('DELETE FROM ops.source_quality WHERE batch_id = $1', [batchId]);
    const sources: SourceQuality[] = [];
    // The mapping goes first: conversions look their page category up in it.
    for (const name of ['mapping', 'conversions', 'broker'] as const) {
      const file = delivered.get(name);
      if (!file) continue;
      const quality = await STAGERS[name](tx, batchId, file, (n) => onProgress(name, n));
      await rejectIfMostlyBad(tx, batchId, file, quality);
      await tx.query('UPDATE ops.batch_files SET rows_read = $3 WHERE batch_id = $1 AND source = $2', [batchId, name, quality.read]);
      await tx.query(
        `INSERT INTO ops.source_quality (batch_id, source, read, accepted, quarantined, collapsed, flags)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [batchId, name, quality.read, quality.accepted, quality.quarantined, quality.collapsed, JSON.stringify(quality.flags)],
      );
      sources.push(quality);
    }
    const { rows } = await tx.query<{ from: Date | null; to: Date | null }>(
      `SELECT min(t) AS from, max(t) AS to FROM (
         SELECT clicked_at AS t FROM staging.conversions WHERE batch_id = $1
         UNION ALL SELECT registered_at FROM staging.broker_records WHERE batch_id = $1) x`,
      [batchId],
    );
    const w = rows[0];
    await tx.query("UPDATE ops.batches SET window_from = $2, window_to = $3, step = 'normalize' WHERE batch_id = $1", [batchId, w.from, w.to]);
    // The rows replaced lay in the previous window, the new ones lie in this one: match
    // redoes the days of both.
    const old = before.rows[0];
    await markDays(tx, 'match', [...daysOf(old?.window_from, old?.window_to), ...daysOf(w.from, w.to)], batchId);
    return { sources, window: w.from && w.to ? { from: w.from.toISOString(), to: w.to.toISOString() } : null };
  });
  // Statistics of what was just staged, before match plans anything on it: without them the
  // planner took a batch's 5M rows for a few thousand and joined them row by row (42 s at
  // 100x). Outside the transaction: ANALYZE holds a lock that would make every other
  // batch's normalize and match wait for this one's commit.
  await pool.query('ANALYZE staging.conversions, staging.broker_records');
  return result;
}

type Stager = (tx: PoolClient, batchId: string, file: DeliveredFile, onProgress: (rows: number) => void) => Promise<SourceQuality>;

const STAGERS: Record<SourceName, Stager> = {
  mapping: async (tx, batchId, file, onProgress) => {
    await tx.query(`CREATE TEMP TABLE tmp_mapping (line_no int, reason text, raw jsonb, page_category text, measurement_category text) ON COMMIT DROP`);
    const { read, repeatedLines } = await streamValidated(tx, {
      spec: SOURCES.mapping,
      file,
      tempTable: 'tmp_mapping',
      tempColumns: ['page_category', 'measurement_category'],
      validate: normalizeMapping,
      toValues: (r) => [r.pageCategory, r.measurementCategory],
      keyOf: (r) => r.measurementCategory,
      onProgress,
    });
    await quarantineInvalid(tx, SOURCES.mapping, batchId, 'tmp_mapping');
    const collapsed = await keepFirstPerKey(tx, SOURCES.mapping, file, batchId, repeatedLines, 'tmp_mapping', 'measurement_category', ['page_category']);
    // A later mapping adds and corrects categories; it does not forget ones it omits. Rows it
    // delivers unchanged are left alone (batch_id names the batch that last changed a row):
    // an upsert locked every row until the batch committed, so the normalizes of a backfill's
    // days in flight queued behind each other on the same forty rows.
    await tx.query(
      `INSERT INTO staging.page_categories (measurement_category, page_category, batch_id)
       SELECT measurement_category, page_category, $1 FROM tmp_mapping t
       WHERE reason IS NULL AND NOT EXISTS (
         SELECT 1 FROM staging.page_categories p WHERE p.measurement_category = t.measurement_category AND p.page_category = t.page_category)
       ON CONFLICT (measurement_category) DO UPDATE SET page_category = EXCLUDED.page_category, batch_id = EXCLUDED.batch_id`,
      [batchId],
    );
    return quality(tx, 'mapping', batchId, read, collapsed, null);
  },

  conversions: async (tx, batchId, file, onProgress) => {
    await tx.query(
      `CREATE TEMP TABLE tmp_conversions (line_no int, reason text, raw jsonb, conversion_id text, session_id text, clicked_at timestamptz,
         country_name text, country_code text, is_mobile boolean, ui_element text, measurement_category text, flags text[]) ON COMMIT DROP`,
    );
    const { read, repeatedLines } = await streamValidated(tx, {
      spec: SOURCES.conversions,
      file,
      tempTable: 'tmp_conversions',
      tempColumns: ['conversion_id', 'session_id', 'clicked_at', 'country_name', 'country_code', 'is_mobile', 'ui_element', 'measurement_category', 'flags'],
      validate: normalizeConversion,
      toValues: (c) => [c.conversionId, c.sessionId, c.clickedAt, c.countryName, c.countryCode, c.isMobile, c.uiElement, c.measurementCategory, c.flags],
      keyOf: (c) => c.conversionId,
      onProgress,
    });
    await quarantineInvalid(tx, SOURCES.conversions, batchId, 'tmp_conversions');
    // One geo lookup fanned out to two regions (West Bank / Gaza Strip) delivers the same click
    // twice: same content collapses; different content under one id is a conflict to look at.
    const collapsed = await keepFirstPerKey(tx, SOURCES.conversions, file, batchId, repeatedLines, 'tmp_conversions', 'conversion_id', [
      'session_id', 'clicked_at', 'country_code', 'is_mobile', 'ui_element', 'measurement_category',
    ]);
    await tx.query('DELETE FROM staging.conversions WHERE batch_id = $1', [batchId]);
    await takeOver(tx, 'staging.conversions', 'tmp_conversions', 'conversion_id');
    await tx.query(
      `INSERT INTO staging.conversions (conversion_id, batch_id, line_no, session_id, clicked_at, country_name, country_code,
         is_mobile, ui_element, measurement_category, page_category, flags)
       SELECT f.conversion_id, $1, f.line_no, f.session_id, f.clicked_at, f.country_name, f.country_code, f.is_mobile,
              f.ui_element, f.measurement_category, coalesce(pc.page_category, 'Unmapped'),
              CASE WHEN pc.page_category IS NULL THEN f.flags || '{unmapped_category}'::text[] ELSE f.flags END
       FROM tmp_conversions f
       LEFT JOIN staging.page_categories pc ON pc.measurement_category = btrim(f.measurement_category)
       WHERE f.reason IS NULL`,
      [batchId],
    );
    return quality(tx, 'conversions', batchId, read, collapsed, 'staging.conversions');
  },

  broker: async (tx, batchId, file, onProgress) => {
    await tx.query(
      `CREATE TEMP TABLE tmp_broker (line_no int, reason text, raw jsonb, broker_record_id text, ts_raw text, residency_raw text, ip_raw text, score_raw text,
         registered_at timestamptz, residency_code text, ip_code text, important_score int, flags text[]) ON COMMIT DROP`,
    );
    const { read, repeatedLines } = await streamValidated(tx, {
      spec: SOURCES.broker,
      file,
      tempTable: 'tmp_broker',
      tempColumns: ['broker_record_id', 'ts_raw', 'residency_raw', 'ip_raw', 'score_raw', 'registered_at', 'residency_code', 'ip_code', 'important_score', 'flags'],
      // Identical rows get the same id here; rankIdenticalRecords numbers them.
      validate: (input) => {
        const v = normalizeBrokerRecord(input);
        return v.ok ? { ok: true, row: { ...v.row, id: brokerRecordId(v.row, 1) } } : v;
      },
      keyOf: (b) => b.id,
      toValues: (b) => [b.id, b.timestampRaw, b.residencyRaw, b.ipCountryRaw, b.scoreRaw, b.registeredAt, b.residencyCountryCode, b.ipCountryCode, b.importantScore, b.flags],
      onProgress,
    });
    await quarantineInvalid(tx, SOURCES.broker, batchId, 'tmp_broker');
    await rankIdenticalRecords(tx, repeatedLines);
    await tx.query('DELETE FROM staging.broker_records WHERE batch_id = $1', [batchId]);
    await takeOver(tx, 'staging.broker_records', 'tmp_broker', 'broker_record_id');
    await tx.query(
      `INSERT INTO staging.broker_records (broker_record_id, batch_id, line_no, registered_at, residency_raw, ip_country_raw,
         residency_country_code, ip_country_code, important_score, flags)
       SELECT broker_record_id, $1, line_no, registered_at, residency_raw, ip_raw, residency_code, ip_code, important_score, flags
       FROM tmp_broker WHERE reason IS NULL`,
      [batchId],
    );
    return quality(tx, 'broker', batchId, read, 0, 'staging.broker_records');
  },
};

async function quarantineInvalid(tx: PoolClient, spec: SourceSpec, batchId: string, temp: string): Promise<void> {
  await tx.query(
    `INSERT INTO staging.quarantine (batch_id, source, line_no, reason, raw)
     SELECT $1, $2, line_no, reason, raw FROM ${temp} WHERE reason IS NOT NULL`,
    [batchId, spec.name],
  );
}

/**
 * Keeps the first valid row per key in `temp`. Later rows with the same key and the same
 * `compare` columns are duplicates (collapsed); with different values they go to quarantine,
 * naming the line they conflict with. Both leave `temp`; returns how many collapsed. Keys
 * are delivered once as a rule: only the lines the stream saw a key repeat on (`candidates`)
 * are sorted here, where a DISTINCT ON copy of the whole table sorted every row.
 */
async function keepFirstPerKey(
  tx: PoolClient,
  spec: SourceSpec,
  file: StoredDelivery,
  batchId: string,
  candidates: number[],
  temp: string,
  key: string,
  compare: string[],
): Promise<number> {
  if (candidates.length === 0) return 0;
  const { rows: later } = await tx.query<{ line_no: number; first_line: number; key: string; conflicting: boolean }>(
    `WITH repeated AS (
       SELECT t.*, first_value(line_no) OVER (PARTITION BY ${key} ORDER BY line_no) AS first_line FROM ${temp} t
       WHERE line_no = ANY($1::int[]))
     SELECT r.line_no, r.first_line, r.${key} AS key,
            (${compare.map((c) => `r.${c}`).join(', ')}) IS DISTINCT FROM (${compare.map((c) => `f.${c}`).join(', ')}) AS conflicting
     FROM repeated r JOIN repeated f ON f.line_no = r.first_line
     WHERE r.line_no <> r.first_line`,
    [candidates],
  );
  if (later.length === 0) return 0;
  await tx.query(`DELETE FROM ${temp} WHERE line_no = ANY($1::int[])`, [later.map((l) => l.line_no)]);
  const conflicts = later.filter((l) => l.conflicting);
  if (conflicts.length > 0) {
    // Such rows passed validation, so the stream kept no raw text for them: the stored file is
    // read again for their lines, which happens only when a delivery has conflicts at all.
    const delivered = await rowsAt(file, spec, new Set(conflicts.map((c) => c.line_no)));
    await tx.query(
      `INSERT INTO staging.quarantine (batch_id, source, line_no, reason, raw)
       SELECT $1, $2, c.line_no, c.reason, c.raw::jsonb FROM unnest($3::int[], $4::text[], $5::text[]) AS c(line_no, reason, raw)`,
      [
        batchId,
        spec.name,
        conflicts.map((c) => c.line_no),
        conflicts.map((c) => `${key} ${c.key} already delivered on line ${c.first_line} with different values`),
        conflicts.map((c) => rawRecord(spec, file, delivered.get(c.line_no)!)),
      ],
    );
  }
  return later.length - conflicts.length;
}

/**
 * Identical broker rows got the same first-rank id in the stream. The rare groups of them are
 * numbered here in file order, each row flagged: two users registering in the same second.
 */
async function rankIdenticalRecords(tx: PoolClient, candidates: number[]): Promise<void> {
  if (candidates.length === 0) return;
  const { rows } = await tx.query<{ line_no: number; ts_raw: string; residency_raw: string; ip_raw: string; score_raw: string; registered_at: Date; rank: number }>(
    `SELECT * FROM (
       SELECT line_no, ts_raw, residency_raw, ip_raw, score_raw, registered_at,
              (row_number() OVER same)::int AS rank, count(*) OVER same AS copies
       FROM tmp_broker WHERE line_no = ANY($1::int[])
       WINDOW same AS (PARTITION BY broker_record_id ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) x
     WHERE copies > 1`,
    [candidates],
  );
  if (rows.length === 0) return;
  const ids = rows.map((r) =>
    brokerRecordId({ timestampRaw: r.ts_raw, residencyRaw: r.residency_raw, ipCountryRaw: r.ip_raw, scoreRaw: r.score_raw, registeredAt: r.registered_at }, r.rank),
  );
  await tx.query(
    `UPDATE tmp_broker t SET broker_record_id = x.id, flags = t.flags || '{duplicate_record}'::text[]
     FROM unnest($1::int[], $2::text[]) AS x(line_no, id) WHERE t.line_no = x.line_no`,
    [rows.map((r) => r.line_no), ids],
  );
}

/**
 * Rows another batch staged under ids this batch delivers again are this batch's now: deleted
 * before a plain insert, where an upsert paid a speculative insertion for every row.
 */
async function takeOver(tx: PoolClient, table: string, temp: string, key: string): Promise<void> {
  await tx.query(`DELETE FROM ${table} s USING ${temp} t WHERE t.reason IS NULL AND s.${key} = t.${key}`);
}

async function quality(
  tx: PoolClient,
  source: SourceName,
  batchId: string,
  read: number,
  collapsed: number,
  stagingTable: string | null,
): Promise<SourceQuality> {
  const q = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM staging.quarantine WHERE batch_id = $1 AND source = $2', [batchId, source]);
  const quarantined = q.rows[0].n;
  const accepted = read - quarantined;
  const flags: Record<string, number> = {};
  if (stagingTable) {
    const f = await tx.query<{ flag: string; n: number }>(
      `SELECT flag, count(*)::int AS n FROM ${stagingTable}, unnest(flags) AS flag WHERE batch_id = $1 GROUP BY flag ORDER BY flag`,
      [batchId],
    );
    for (const r of f.rows) flags[r.flag] = r.n;
  }
  return { source, read, accepted, quarantined, collapsed, flags };
}

async function rejectIfMostlyBad(tx: PoolClient, batchId: string, file: DeliveredFile, q: SourceQuality): Promise<void> {
  if (q.read === 0 || q.quarantined / q.read <= MAX_QUARANTINE_SHARE) return;
  const { rows } = await tx.query<{ line_no: number; reason: string }>(
    'SELECT line_no, reason FROM staging.quarantine WHERE batch_id = $1 AND source = $2 ORDER BY line_no LIMIT 1',
    [batchId, file.source],
  );
  const first = rows[0];
  const share = Math.round((100 * q.quarantined) / q.read);
  throw new FileRejected(
    file.fileName,
    first.line_no,
    `${first.reason} (${q.quarantined} of ${q.read} rows invalid, ${share}% > ${MAX_QUARANTINE_SHARE * 100}%: not a ${file.source} file?)`,
  );
}
