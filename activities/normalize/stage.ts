import type { Pool, PoolClient } from 'pg';
import { analyzeIfStale } from '../db/analyze';
import { markDays } from '../db/day-marks';
import { inTransaction } from '../db/pool';
import type { FileStore } from '../ingest/file-store';
import { FileRejected } from '../ingest/sniff';
import { daysOf } from '../match/days';
import { SOURCES, type SourceName, type SourceSpec } from '../sources';
import { brokerRecordId } from './record-id';
import { normalizeBrokerRecord, normalizeConversion, normalizeMapping } from './rows';
import { rawRecord, streamValidated, type KeptRows, type StoredDelivery } from './stream-validated';

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

/**
 * `analyze: false` leaves the planner statistics of staging to match, which takes them before
 * it plans (a backfill's days staged together: each day's ANALYZE re-sampled the growing
 * tables, and concurrent ones queued on each other's lock, 10 of 18 sampled seconds).
 */
export async function normalizeBatch(
  pool: Pool,
  store: FileStore,
  batchId: string,
  onProgress: (what: string, rows: number) => void,
  { analyze = true }: { analyze?: boolean } = {},
): Promise<NormalizeResult> {
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
  // Statistics of what was just staged, before match plans anything on it.
  const staged = (source: SourceName) => result.sources.find((s) => s.source === source)?.accepted ?? 0;
  if (analyze) await analyzeIfStale(pool, { 'staging.conversions': staged('conversions'), 'staging.broker_records': staged('broker') });
  return result;
}

type Stager = (tx: PoolClient, batchId: string, file: DeliveredFile, onProgress: (rows: number) => void) => Promise<SourceQuality>;

const STAGERS: Record<SourceName, Stager> = {
  mapping: async (tx, batchId, file, onProgress) => {
    await tx.query('CREATE TEMP TABLE tmp_mapping (batch_id text, line_no int, page_category text, measurement_category text) ON COMMIT DROP');
    const { read, repeatedLines, repeats } = await streamValidated(tx, {
      spec: SOURCES.mapping,
      file,
      batchId,
      target: 'tmp_mapping (batch_id, line_no, page_category, measurement_category)',
      validate: normalizeMapping,
      toValues: (r, lineNo) => [batchId, lineNo, r.pageCategory, r.measurementCategory],
      keyOf: (r) => r.measurementCategory,
      onProgress,
    });
    const collapsed = await keepFirstPerKey(tx, SOURCES.mapping, file, batchId, repeatedLines, repeats, 'tmp_mapping', 'measurement_category', ['page_category']);
    // A later mapping adds and corrects categories; it does not forget ones it omits. Rows it
    // delivers unchanged are left alone (batch_id names the batch that last changed a row):
    // an upsert locked every row until the batch committed, so the normalizes of a backfill's
    // days in flight queued behind each other on the same forty rows.
    await tx.query(
      `INSERT INTO staging.page_categories (measurement_category, page_category, batch_id)
       SELECT measurement_category, page_category, $1 FROM tmp_mapping t
       WHERE NOT EXISTS (
         SELECT 1 FROM staging.page_categories p WHERE p.measurement_category = t.measurement_category AND p.page_category = t.page_category)
       ON CONFLICT (measurement_category) DO UPDATE SET page_category = EXCLUDED.page_category, batch_id = EXCLUDED.batch_id`,
      [batchId],
    );
    return quality(tx, 'mapping', batchId, read, collapsed, null);
  },

  conversions: async (tx, batchId, file, onProgress) => {
    const categories = await pageCategories(tx);
    await openStaging(tx, 'staging.conversions', batchId);
    const { read, repeatedLines, repeats } = await streamValidated(tx, {
      spec: SOURCES.conversions,
      file,
      batchId,
      target: `staging.conversions (conversion_id, batch_id, line_no, session_id, clicked_at, country_name, country_code,
                 is_mobile, ui_element, measurement_category, page_category, flags)`,
      validate: normalizeConversion,
      toValues: (c, lineNo) => {
        const category = categories.get(withoutEdgeSpaces(c.measurementCategory));
        return [c.conversionId, batchId, lineNo, c.sessionId, c.clickedAt, c.countryName, c.countryCode, c.isMobile, c.uiElement,
          c.measurementCategory, category ?? 'Unmapped', category === undefined ? [...c.flags, 'unmapped_category'] : c.flags];
      },
      keyOf: (c) => c.conversionId,
      onProgress,
    });
    // One geo lookup fanned out to two regions (West Bank / Gaza Strip) delivers the same click
    // twice: same content collapses; different content under one id is a conflict to look at.
    const collapsed = await keepFirstPerKey(tx, SOURCES.conversions, file, batchId, repeatedLines, repeats, 'staging.conversions', 'conversion_id', [
      'session_id', 'clicked_at', 'country_code', 'is_mobile', 'ui_element', 'measurement_category',
    ]);
    await closeStaging(tx, 'staging.conversions', 'conversion_id', 'clicked_at', batchId);
    return quality(tx, 'conversions', batchId, read, collapsed, 'staging.conversions');
  },

  broker: async (tx, batchId, file, onProgress) => {
    await openStaging(tx, 'staging.broker_records', batchId);
    const { read, repeatedLines, repeats } = await streamValidated(tx, {
      spec: SOURCES.broker,
      file,
      batchId,
      target: `staging.broker_records (broker_record_id, batch_id, line_no, registered_at, residency_raw, ip_country_raw,
                 residency_country_code, ip_country_code, important_score, flags)`,
      // Identical rows get the same id here; rankIdenticalRecords numbers them.
      validate: (input) => {
        const v = normalizeBrokerRecord(input);
        return v.ok ? { ok: true, row: { record: v.row, id: brokerRecordId(v.row, 1) } } : v;
      },
      toValues: ({ record: b, id }, lineNo) => [id, batchId, lineNo, b.registeredAt, b.residencyRaw, b.ipCountryRaw,
        b.residencyCountryCode, b.ipCountryCode, b.importantScore, b.flags],
      keyOf: (b) => b.id,
      onProgress,
    });
    await rankIdenticalRecords(tx, file, batchId, repeatedLines, repeats);
    await closeStaging(tx, 'staging.broker_records', 'broker_record_id', 'registered_at', batchId);
    return quality(tx, 'broker', batchId, read, 0, 'staging.broker_records');
  },
};

/** The mapping as staged so far (this batch's included), by measurement category. */
async function pageCategories(tx: PoolClient): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ measurement_category: string; page_category: string }>(
    'SELECT measurement_category, page_category FROM staging.page_categories',
  );
  return new Map(rows.map((r) => [r.measurement_category, r.page_category]));
}

/** What PostgreSQL's btrim() took off a category before looking it up: spaces, nothing else. */
const withoutEdgeSpaces = (s: string) => (s.startsWith(' ') || s.endsWith(' ') ? s.replace(/^ +| +$/g, '') : s);

/**
 * Readies a staging table for the batch's rows to be copied straight in: its earlier rows
 * (a rerun) go, and the key is checked at the end of the step instead of per row, so rows the
 * file repeats and rows other batches staged under the same keys can land first and be
 * settled set-based after (migration 021). An upsert paid a speculative insertion per row.
 */
async function openStaging(tx: PoolClient, table: string, batchId: string): Promise<void> {
  await tx.query(`SET CONSTRAINTS ${table}_pkey DEFERRED`);
  await tx.query(`DELETE FROM ${table} WHERE batch_id = $1`, [batchId]);
}

/**
 * Rows other batches staged under keys this batch delivers again are this batch's now; then
 * the key is checked, so a key still twice fails here, naming the table, not at commit. The
 * days the taken rows lay on are matched again: a corrected click may move to another day, and
 * the record it was paired with on the old one lost its pair with it (staging's triggers).
 */
async function closeStaging(tx: PoolClient, table: string, key: string, time: string, batchId: string): Promise<void> {
  const { rows } = await tx.query<{ others: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table} WHERE batch_id <> $1) AS others`, [batchId]);
  if (rows[0].others) {
    // Probed by key through the primary key: as a semi-join the planner scanned every other
    // batch's rows, so a day cost the history (22 ms at 1x and 10x that at 10x, against 4 ms).
    // The array's size is unknown to the planner, which then always takes the index.
    const { rows: taken } = await tx.query<{ day: number }>(
      `WITH taken AS (
         DELETE FROM ${table} s WHERE s.${key} = ANY(ARRAY(SELECT ${key} FROM ${table} WHERE batch_id = $1)) AND s.batch_id <> $1
         RETURNING ${time})
       SELECT DISTINCT (${time} AT TIME ZONE 'UTC')::date - DATE '1970-01-01' AS day FROM taken`,
      [batchId],
    );
    await markDays(tx, 'match', taken.map((t) => t.day), batchId);
  }
  await tx.query(`SET CONSTRAINTS ${table}_pkey IMMEDIATE`);
}

/**
 * Keeps the first valid row per key in `table` (this batch's rows). Later rows with the same
 * key and the same `compare` columns are duplicates (collapsed); with different values they go
 * to quarantine, naming the line they conflict with. Both leave `table`; returns how many
 * collapsed. Keys are delivered once as a rule: only the lines the stream saw a key repeat on
 * (`candidates`) are looked at, where a DISTINCT ON copy of the whole file sorted every row.
 */
async function keepFirstPerKey(
  tx: PoolClient,
  spec: SourceSpec,
  file: StoredDelivery,
  batchId: string,
  candidates: number[],
  repeats: KeptRows,
  table: string,
  key: string,
  compare: string[],
): Promise<number> {
  if (candidates.length === 0) return 0;
  const { rows: later } = await tx.query<{ line_no: number; first_line: number; key: string; conflicting: boolean }>(
    `WITH repeated AS (
       SELECT t.*, first_value(line_no) OVER (PARTITION BY ${key} ORDER BY line_no) AS first_line FROM ${table} t
       WHERE batch_id = $2 AND line_no = ANY($1::int[]))
     SELECT r.line_no, r.first_line, r.${key} AS key,
            (${compare.map((c) => `r.${c}`).join(', ')}) IS DISTINCT FROM (${compare.map((c) => `f.${c}`).join(', ')}) AS conflicting
     FROM repeated r JOIN repeated f ON f.line_no = r.first_line
     WHERE r.line_no <> r.first_line`,
    [candidates, batchId],
  );
  if (later.length === 0) return 0;
  await tx.query(`DELETE FROM ${table} WHERE batch_id = $2 AND line_no = ANY($1::int[])`, [later.map((l) => l.line_no), batchId]);
  const conflicts = later.filter((l) => l.conflicting);
  if (conflicts.length > 0) {
    const delivered = await repeats.at(file, spec, conflicts.map((c) => c.line_no));
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
 * The id hashes the raw text, which the stream kept for every sighting after the first.
 */
async function rankIdenticalRecords(tx: PoolClient, file: StoredDelivery, batchId: string, candidates: number[], repeats: KeptRows): Promise<void> {
  if (candidates.length === 0) return;
  const { rows } = await tx.query<{ line_no: number; rank: number }>(
    `SELECT line_no, rank FROM (
       SELECT line_no, (row_number() OVER same)::int AS rank, count(*) OVER same AS copies
       FROM staging.broker_records WHERE batch_id = $2 AND line_no = ANY($1::int[])
       WINDOW same AS (PARTITION BY broker_record_id ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) x
     WHERE copies > 1`,
    [candidates, batchId],
  );
  if (rows.length === 0) return;
  const renumbered = rows.filter((r) => r.rank > 1);
  const delivered = await repeats.at(file, SOURCES.broker, renumbered.map((r) => r.line_no));
  const ids = rows.map((r) => {
    if (r.rank === 1) return null;
    const raw = delivered.get(r.line_no)!;
    const values = Object.fromEntries(SOURCES.broker.columns.map((c, i) => [c, raw.values[i]]));
    // It passed validation in the stream, with as many fields as the header.
    const v = normalizeBrokerRecord({ values, fieldCount: raw.fieldCount, headerFields: raw.fieldCount });
    if (!v.ok) throw new Error(`broker line ${r.line_no} of ${file.fileName} no longer validates: ${v.reason}`);
    return brokerRecordId(v.row, r.rank);
  });
  await tx.query(
    `UPDATE staging.broker_records b SET broker_record_id = coalesce(x.id, b.broker_record_id), flags = b.flags || '{duplicate_record}'::text[]
     FROM unnest($1::int[], $2::text[]) AS x(line_no, id) WHERE b.batch_id = $3 AND b.line_no = x.line_no`,
    [rows.map((r) => r.line_no), ids, batchId],
  );
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
