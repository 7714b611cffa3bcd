import type { Pool } from 'pg';
import type { Dimension, GroupCounts } from './findings';

/** The report's SQL over mart.user_journey (and the quality figures of staging and ops); every value is a parameter. */

export interface Period {
  from: Date;
  to: Date;
}

/** The clicks the analysis looks at. */
export interface Population extends Period {
  includeSuspicious: boolean;
  highScoreMin: number;
}

export interface Coverage {
  clicks: { rows: number; period: Period | null };
  broker: { rows: number; period: Period | null };
  matched: number;
  /** The period both sources cover: a click outside it cannot have (or cannot lack) a broker record in this data. */
  overlap: Period | null;
}

export async function coverage(db: Pool): Promise<Coverage> {
  const { rows } = await db.query<{ clicks: number; clicksFrom: Date | null; clicksTo: Date | null; broker: number; brokerFrom: Date | null; brokerTo: Date | null; matched: number }>(
    `SELECT count(conversion_id)::int AS clicks, min(clicked_at) FILTER (WHERE conversion_id IS NOT NULL) AS "clicksFrom",
            max(clicked_at) FILTER (WHERE conversion_id IS NOT NULL) AS "clicksTo",
            count(broker_record_id)::int AS broker, min(registered_at) FILTER (WHERE broker_record_id IS NOT NULL) AS "brokerFrom",
            max(registered_at) FILTER (WHERE broker_record_id IS NOT NULL) AS "brokerTo",
            count(*) FILTER (WHERE match_status = 'matched')::int AS matched
     FROM mart.user_journey`,
  );
  const r = rows[0];
  const period = (from: Date | null, to: Date | null): Period | null => (from && to ? { from, to } : null);
  const clicks = period(r.clicksFrom, r.clicksTo);
  const broker = period(r.brokerFrom, r.brokerTo);
  let overlap: Period | null = null;
  if (clicks && broker) {
    const from = new Date(Math.max(clicks.from.getTime(), broker.from.getTime()));
    const to = new Date(Math.min(clicks.to.getTime(), broker.to.getTime()));
    if (from <= to) overlap = { from, to };
  }
  return { clicks: { rows: r.clicks, period: clicks }, broker: { rows: r.broker, period: broker }, matched: r.matched, overlap };
}

export interface Day {
  day: string;
  clicks: number;
  brokerRecords: number;
  matched: number;
  /** Sum of 1 - match_probability over the day's matches. */
  estimatedFalseMatches: number;
}

/** Clicks by click day, broker records by registration day, over everything delivered. */
export async function daily(db: Pool): Promise<Day[]> {
  const { rows } = await db.query<Day>(
    `WITH c AS (
       SELECT to_char(clicked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS clicks, count(broker_record_id)::int AS matched,
              coalesce(sum(1 - match_probability) FILTER (WHERE broker_record_id IS NOT NULL), 0)::float8 AS est
       FROM mart.user_journey WHERE conversion_id IS NOT NULL GROUP BY 1),
     b AS (
       SELECT to_char(registered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS broker
       FROM mart.user_journey WHERE broker_record_id IS NOT NULL GROUP BY 1)
     SELECT day, coalesce(c.clicks, 0) AS clicks, coalesce(b.broker, 0) AS "brokerRecords", coalesce(c.matched, 0) AS matched,
            coalesce(c.est, 0) AS "estimatedFalseMatches"
     FROM c FULL JOIN b USING (day) ORDER BY day`,
  );
  return rows;
}

/** A source's rows summed over all batches. */
export interface SourceTotals {
  source: string;
  read: number;
  accepted: number;
  quarantined: number;
}

export interface QuarantineReason {
  source: string;
  reason: string;
  rows: number;
}

export interface FlagCount {
  flag: string;
  clicks: number;
  brokerOnly: number;
}

export interface Quality {
  sources: SourceTotals[];
  /** The most common reasons per source. */
  quarantine: QuarantineReason[];
  flags: FlagCount[];
}

export async function quality(db: Pool, reasonsPerSource: number): Promise<Quality> {
  const sources = await db.query<SourceTotals>(
    `SELECT source, sum(read)::int AS read, sum(accepted)::int AS accepted, sum(quarantined)::int AS quarantined
     FROM ops.source_quality GROUP BY source ORDER BY source`,
  );
  const quarantine = await db.query<QuarantineReason>(
    `SELECT source, reason, rows FROM (
       SELECT source, reason, count(*)::int AS rows, row_number() OVER (PARTITION BY source ORDER BY count(*) DESC, reason) AS rank
       FROM staging.quarantine GROUP BY source, reason) q
     WHERE rank <= $1 ORDER BY source, rows DESC, reason`,
    [reasonsPerSource],
  );
  const flags = await db.query<FlagCount>(
    `SELECT f AS flag, count(*) FILTER (WHERE conversion_id IS NOT NULL)::int AS clicks,
            count(*) FILTER (WHERE conversion_id IS NULL)::int AS "brokerOnly"
     FROM mart.user_journey CROSS JOIN LATERAL unnest(flags) AS f GROUP BY f ORDER BY f`,
  );
  return { sources: sources.rows, quarantine: quarantine.rows, flags: flags.rows };
}

/** The clicks of the population, as a CTE named `clicks` ($1..$3). */
const CLICKS = `clicks AS (
  SELECT * FROM mart.user_journey
  WHERE conversion_id IS NOT NULL AND clicked_at BETWEEN $1 AND $2 AND ($3 OR NOT 'suspicious_payload' = ANY (flags)))`;

function populationParams(p: Population): unknown[] {
  return [p.from, p.to, p.includeSuspicious];
}

/** How each dimension names a click's group. */
const GROUP_SQL: Record<Dimension, string> = {
  device: `CASE WHEN is_mobile THEN 'mobile' WHEN NOT is_mobile THEN 'desktop' ELSE '(unknown)' END`,
  page_category: `coalesce(page_category, '(none)')`,
  page_group: `split_part(coalesce(measurement_category, ''), '/', 1)`,
  ui_element: `CASE WHEN coalesce(ui_element, '') = '' THEN '(empty)' ELSE ui_element END`,
  country: `coalesce(country_code, '(unknown)')`,
  hour: `to_char(clicked_at AT TIME ZONE 'UTC', 'HH24":00"')`,
  weekday: `to_char(clicked_at AT TIME ZONE 'UTC', 'Dy')`,
};

export interface Counts {
  overall: GroupCounts;
  dimensions: { dimension: Dimension; groups: GroupCounts[] }[];
}

/** Click counts per group of every dimension, in one pass over the population. */
export async function groupCounts(db: Pool, p: Population): Promise<Counts> {
  const dims = Object.keys(GROUP_SQL) as Dimension[];
  const values = [`('all', 'all clicks')`, ...dims.map((d) => `('${d}', ${GROUP_SQL[d]})`)].join(',\n    ');
  const { rows } = await db.query<GroupCounts & { dimension: string }>(
    `WITH ${CLICKS}
     SELECT d.dimension, d.grp AS "group", count(*)::int AS clicks, count(broker_record_id)::int AS matched,
            count(*) FILTER (WHERE broker_record_id IS NULL OR important_score IS NOT NULL)::int AS "scoreKnown",
            count(*) FILTER (WHERE important_score > 0)::int AS scored,
            count(*) FILTER (WHERE important_score >= $4)::int AS "highScored"
     FROM clicks CROSS JOIN LATERAL (VALUES
       ${values}) AS d(dimension, grp)
     GROUP BY d.dimension, d.grp`,
    [...populationParams(p), p.highScoreMin],
  );
  const strip = ({ dimension: _, ...g }: GroupCounts & { dimension: string }): GroupCounts => g;
  const overall = rows.find((r) => r.dimension === 'all');
  return {
    overall: overall ? strip(overall) : { group: 'all clicks', clicks: 0, matched: 0, scoreKnown: 0, scored: 0, highScored: 0 },
    dimensions: dims.map((dimension) => ({ dimension, groups: rows.filter((r) => r.dimension === dimension).map(strip) })),
  };
}

/** Upper bounds (inclusive, seconds) of the lag histogram's buckets; the last bucket is open. */
export const LAG_BOUNDS = [-1, 0, 1, 2, 5, 30, 300];

export interface Lag {
  /** Matched clicks per bucket of LAG_BOUNDS, LAG_BOUNDS.length + 1 of them. */
  buckets: number[];
  p50: number | null;
  p90: number | null;
  p99: number | null;
  matched: number;
  estimatedFalseMatches: number;
}

export async function lag(db: Pool, p: Population): Promise<Lag> {
  const hist = await db.query<{ bucket: number; rows: number }>(
    `WITH ${CLICKS}
     SELECT (SELECT count(*) FROM unnest($4::int[]) AS bound WHERE bound < lag_seconds)::int AS bucket, count(*)::int AS rows
     FROM clicks WHERE broker_record_id IS NOT NULL GROUP BY 1`,
    [...populationParams(p), LAG_BOUNDS],
  );
  const stats = await db.query<{ q: number[] | null; matched: number; est: number }>(
    `WITH ${CLICKS}
     SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY lag_seconds) AS q, count(*)::int AS matched,
            coalesce(sum(1 - match_probability), 0)::float8 AS est
     FROM clicks WHERE broker_record_id IS NOT NULL`,
    populationParams(p),
  );
  const buckets = new Array<number>(LAG_BOUNDS.length + 1).fill(0);
  for (const r of hist.rows) buckets[r.bucket] = r.rows;
  const [p50, p90, p99] = stats.rows[0].q ?? [null, null, null];
  return { buckets, p50, p90, p99, matched: stats.rows[0].matched, estimatedFalseMatches: stats.rows[0].est };
}

export interface Scores {
  /** Matched clicks whose delivered score was not a number. */
  invalid: number;
  zeroOrLess: number;
  /** Above 0, below the high-score threshold. */
  valuable: number;
  high: number;
}

/** The scores of the population's matched clicks, in the buckets the metrics use. */
export async function scores(db: Pool, p: Population): Promise<Scores> {
  const { rows } = await db.query<Scores>(
    `WITH ${CLICKS}
     SELECT count(*) FILTER (WHERE important_score IS NULL)::int AS invalid, count(*) FILTER (WHERE important_score <= 0)::int AS "zeroOrLess",
            count(*) FILTER (WHERE important_score > 0 AND important_score < $4)::int AS valuable,
            count(*) FILTER (WHERE important_score >= $4)::int AS high
     FROM clicks WHERE broker_record_id IS NOT NULL`,
    [...populationParams(p), p.highScoreMin],
  );
  return rows[0];
}

export interface Suspicious {
  clicks: number;
  matched: number;
  scored: number;
  /** The most common values of the fields that carry the payloads (the country names' are seen through their codes). */
  values: { column: string; value: string; rows: number }[];
}

/** Clicks flagged `suspicious_payload` in the period: scanner traffic, reported apart from the analysis. */
export async function suspicious(db: Pool, period: Period, valuesPerColumn: number): Promise<Suspicious> {
  const params = [period.from, period.to];
  const SUSPICIOUS = `s AS (SELECT * FROM mart.user_journey
     WHERE conversion_id IS NOT NULL AND clicked_at BETWEEN $1 AND $2 AND 'suspicious_payload' = ANY (flags))`;
  const totals = await db.query<{ clicks: number; matched: number; scored: number }>(
    `WITH ${SUSPICIOUS}
     SELECT count(*)::int AS clicks, count(broker_record_id)::int AS matched, count(*) FILTER (WHERE important_score > 0)::int AS scored FROM s`,
    params,
  );
  const values = await db.query<{ column: string; value: string; rows: number }>(
    `WITH ${SUSPICIOUS}
     SELECT "column", value, rows FROM (
       SELECT v."column", v.value, count(*)::int AS rows, row_number() OVER (PARTITION BY v."column" ORDER BY count(*) DESC, v.value) AS rank
       FROM s CROSS JOIN LATERAL (VALUES ('ui_element', ui_element), ('measurement_category', measurement_category),
         ('country_code', coalesce(country_code, '(unknown)'))) AS v("column", value)
       GROUP BY v."column", v.value) t
     WHERE rank <= $3 ORDER BY "column" DESC, rows DESC, value`,
    [...params, valuesPerColumn],
  );
  return { ...totals.rows[0], values: values.rows };
}
