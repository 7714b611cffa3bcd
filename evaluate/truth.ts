import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { fileDigest } from '../activities/ingest/read-rows';
import { evaluatePairs, type Evaluation } from './metrics';

/**
 * Scores what is published in mart.user_journey against a `truth.csv` of the generator
 * (conversion_id, broker_file, broker_line). A broker line is found by the content hash of
 * its file, so it does not matter which batch, day or path the file was delivered under.
 */
export async function evaluateAgainstTruth(pool: Pool, truthFile: string): Promise<Evaluation & { unresolved: number }> {
  const dir = path.dirname(truthFile);
  const [header, ...lines] = fs.readFileSync(truthFile, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  if (header.trim() !== 'conversion_id,broker_file,broker_line') throw new Error(`${truthFile} line 1: expected header conversion_id,broker_file,broker_line`);
  const digests = new Map<string, string>();
  const rows: [string, string, number][] = [];
  for (const [i, line] of lines.entries()) {
    const [conversionId, brokerFile, brokerLine] = line.split(',');
    if (!conversionId || !brokerFile || !/^\d+$/.test(brokerLine ?? '')) throw new Error(`${truthFile} line ${i + 2}: expected conversion_id,broker_file,broker_line`);
    if (!digests.has(brokerFile)) digests.set(brokerFile, (await fileDigest(path.join(dir, brokerFile))).sha256);
    rows.push([conversionId, digests.get(brokerFile)!, Number(brokerLine)]);
  }
  const { rows: truth } = await pool.query<{ key: string | null }>(
    `SELECT t.conversion_id || '|' || min(b.broker_record_id) AS key
     FROM unnest($1::text[], $2::text[], $3::int[]) AS t(conversion_id, sha, line_no)
     LEFT JOIN ops.batch_files f ON f.source = 'broker' AND f.file_sha256 = t.sha
     LEFT JOIN staging.broker_records b ON b.batch_id = f.batch_id AND b.line_no = t.line_no
     GROUP BY t.conversion_id, t.sha, t.line_no`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  const { rows: predicted } = await pool.query<{ key: string; probability: number }>(
    `SELECT conversion_id || '|' || broker_record_id AS key, match_probability AS probability
     FROM mart.user_journey WHERE match_status = 'matched'`,
  );
  // A true pair whose broker line was never loaded still counts: it is a pair we did not make.
  const labelled = new Set(truth.map((t, i) => t.key ?? `unresolved:${i}`));
  return { ...evaluatePairs(predicted, labelled), unresolved: truth.filter((t) => t.key === null).length };
}
