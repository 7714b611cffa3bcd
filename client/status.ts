import { JSON_OPTION, stringOpt, type Command } from './command';
import { openEnvironment } from './environment';

interface BatchRow {
  batch: string;
  status: string;
  step: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  sources: Record<string, { read: number; accepted: number; quarantined: number; collapsed: number; flags: Record<string, number> }>;
  matched: number | null;
  brokerUnmatched: number | null;
  estimatedFalseMatches: number | null;
  published: number | null;
  quarantineReasons?: { source: string; reason: string; rows: number }[];
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'list batches with their state, counts and quality figures',
  help: `usage: journey status [--batch ID] [--json]

Reads the ops tables: every batch (newest first) with its state (running, completed, failed,
or cancelled in Temporal, with the step it stopped in), rows read / accepted / quarantined per
source, matches and the estimated number of false matches. With --batch, one batch with its
most common quarantine reasons.`,
  options: { batch: { type: 'string' }, ...JSON_OPTION },
  async run(values, io) {
    const env = await openEnvironment({ temporal: false, log: io.progress });
    try {
      const batch = stringOpt(values, 'batch');
      const { rows } = await env.pool.query<BatchRow>(
        `SELECT b.batch_id AS batch, b.status, b.step, b.started_at AS "startedAt", b.finished_at AS "finishedAt", b.error,
                coalesce((SELECT jsonb_object_agg(q.source, jsonb_build_object('read', q.read, 'accepted', q.accepted,
                   'quarantined', q.quarantined, 'collapsed', q.collapsed, 'flags', q.flags))
                   FROM ops.source_quality q WHERE q.batch_id = b.batch_id), '{}') AS sources,
                m.matched, m.broker_unmatched AS "brokerUnmatched", m.estimated_false_matches AS "estimatedFalseMatches",
                (b.summary->>'published')::int AS published
         FROM ops.batches b LEFT JOIN ops.match_runs m USING (batch_id)
         WHERE $1::text IS NULL OR b.batch_id = $1
         ORDER BY b.started_at DESC, b.batch_id`,
        [batch ?? null],
      );
      if (batch && rows.length === 0) throw new Error(`no batch '${batch}'`);
      if (batch) {
        const q = await env.pool.query<{ source: string; reason: string; rows: number }>(
          `SELECT source, reason, count(*)::int AS rows FROM staging.quarantine WHERE batch_id = $1
           GROUP BY source, reason ORDER BY rows DESC, source, reason LIMIT 20`,
          [batch],
        );
        rows[0].quarantineReasons = q.rows;
      }
      if (io.json) io.out(JSON.stringify({ batches: rows }));
      else if (rows.length === 0) io.out('no batches yet: `journey run` or `npm start` processes one');
      else for (const r of rows) io.out(formatBatch(r));
      return 0;
    } finally {
      await env.close();
    }
  },
};

function formatBatch(r: BatchRow): string {
  const lines = [`${r.batch}  ${state(r)}  started ${new Date(r.startedAt).toISOString()}`];
  for (const [source, q] of Object.entries(r.sources)) {
    const flags = Object.entries(q.flags).map(([f, n]) => `${f} ${n}`).join(', ');
    lines.push(`  ${source.padEnd(12)} read ${q.read}  accepted ${q.accepted}  quarantined ${q.quarantined}${flags ? `  flags: ${flags}` : ''}`);
  }
  if (r.matched !== null) lines.push(`  matched      ${r.matched}, ~${(r.estimatedFalseMatches ?? 0).toFixed(1)} estimated false, ${r.brokerUnmatched} broker records unmatched`);
  if (r.published !== null) lines.push(`  published    ${r.published} rows`);
  if (r.error) lines.push(`  error        ${r.error}`);
  for (const q of r.quarantineReasons ?? []) lines.push(`  quarantine   ${q.source}: ${q.rows} × ${q.reason}`);
  return lines.join('\n');
}

/** The step matters while a batch runs, and where a cancelled one stopped. */
function state(r: BatchRow): string {
  if (r.step && r.status === 'running') return `running (${r.step})`;
  if (r.step && r.status === 'cancelled') return `cancelled during ${r.step}`;
  return r.status;
}
