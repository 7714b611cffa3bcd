import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './harness';

const CONV_HEADER = 'id;session_id;country_name;is_mobile;ui_element;created_at;measurement_category';
const BROKER_HEADER = 'timestamp,country_residency,ip_country,important_score';

const goodConversions = [
  CONV_HEADER,
  '1001;9001;Germany;0;desktop-top5-box;2024-04-22 10:00:00;01homepa/02notrel/03notrel',
  '1002;9002;France;1;broker-name-link;2024-04-22 10:05:00;01review/02notrel/03review',
  `1003;9003;Spain;1;front-page-visit-broker-button';2024-04-22 10:10:00;01homepa/02notrel/03notrel`,
];
const goodBroker = [BROKER_HEADER, `${Date.UTC(2024, 3, 22, 10, 0, 1) / 1000},,Germany,0`, `${Date.UTC(2024, 3, 22, 10, 5, 0) / 1000},,France,10`];

describe('bad input', () => {
  let env: TestEnv;
  let dir: string;
  const write = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  const lines = (rows: string[]) => rows.join('\r\n') + '\r\n';
  const good = () => ({ conversions: write('conv.csv', lines(goodConversions)), broker: write('broker.csv', lines(goodBroker)) });
  const run = (conversions: string, broker: string, batch: string) =>
    env.cli(['run', '--conversions', conversions, '--broker', broker, '--batch', batch, '--json']);

  beforeAll(async () => {
    env = await createTestEnv('badinput');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-bad-'));
    // a published batch that the failing ones below must leave alone
    const g = good();
    const r = await run(g.conversions, g.broker, 'good');
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await env?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function expectRejected(batch: string, conversions: string, broker: string, file: string, line: number, reason: RegExp) {
    const before = await env.pool.query(`SELECT md5(string_agg(t::text, '|' ORDER BY conversion_id, broker_record_id)) AS d FROM mart.user_journey t`);
    const r = await run(conversions, broker, batch);
    expect(r.code, r.stderr).toBe(3);
    const message = r.stderr;
    expect(message).toContain(path.basename(file));
    expect(message).toContain(`line ${line}`);
    expect(message).toMatch(reason);
    const summary = r.json();
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(reason);
    // nothing of the batch is published, and other batches are untouched
    const mine = await env.pool.query(`SELECT count(*)::int AS n FROM mart.user_journey WHERE batch_id = $1`, [batch]);
    expect(mine.rows[0].n).toBe(0);
    const after = await env.pool.query(`SELECT md5(string_agg(t::text, '|' ORDER BY conversion_id, broker_record_id)) AS d FROM mart.user_journey t`);
    expect(after.rows[0].d).toBe(before.rows[0].d);
    const status = await env.cli(['status', '--batch', batch, '--json']);
    const b = status.json().batches[0];
    expect(b.status).toBe('failed');
    expect(b.error).toMatch(reason);
  }

  it('rejects a file with a missing column', async () => {
    const conv = write('missing-col.csv', lines(goodConversions.map((l) => l.split(';').filter((_, i) => i !== 5).join(';'))));
    await expectRejected('missing-col', conv, good().broker, conv, 1, /missing required column\(s\) created_at/);
  });

  it('rejects an empty file', async () => {
    const broker = write('empty.csv', '');
    await expectRejected('empty', good().conversions, broker, broker, 1, /file is empty/);
  });

  it('rejects a binary file', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const broker = write('binary.csv', bytes);
    await expectRejected('binary', good().conversions, broker, broker, 1, /binary content/);
  });

  it('rejects a file whose rows are of the wrong types', async () => {
    const broker = write('wrong-types.csv', lines([BROKER_HEADER, 'yesterday,,Germany,0', 'today,,France,0', 'soon,,Spain,0']));
    await expectRejected('wrong-types', good().conversions, broker, broker, 2, /timestamp: expected Unix epoch seconds, got 'yesterday'/);
  });

  it('publishes the good rows of a mixed file and quarantines the bad ones with reasons', async () => {
    const conv = write(
      'mixed.csv',
      lines([
        ...goodConversions,
        '1004;9004;Italy;maybe;broker-name-link;2024-04-22 10:15:00;01homepa/02notrel/03notrel',
        '1005;9005;Italy;0;broker-name-link;2024-02-30 10:20:00;01homepa/02notrel/03notrel',
        '1006;9006;Italy;0;too;many;fields;here',
      ]),
    );
    const r = await run(conv, good().broker, 'mixed');
    expect(r.code, r.stderr).toBe(0);
    const s = r.json();
    expect(s.conversions).toMatchObject({ read: 6, accepted: 3, quarantined: 3 });
    const q = await env.pool.query(`SELECT line_no, reason FROM staging.quarantine WHERE batch_id = 'mixed' ORDER BY line_no`);
    expect(q.rows).toEqual([
      { line_no: 5, reason: "is_mobile: expected 0 or 1, got 'maybe'" },
      { line_no: 6, reason: "created_at: not a calendar date-time: '2024-02-30 10:20:00'" },
      { line_no: 7, reason: 'expected 7 fields as in the header, got 8' },
    ]);
    const m = await env.pool.query(`SELECT conversion_id, ui_element, flags FROM mart.user_journey WHERE conversion_id IS NOT NULL ORDER BY conversion_id`);
    expect(m.rows.map((x) => x.conversion_id)).toEqual(['1001', '1002', '1003']);
    // the quote is data: kept verbatim and flagged
    expect(m.rows[2].ui_element).toBe("front-page-visit-broker-button'");
    expect(m.rows[2].flags).toContain('suspicious_payload');
  });

  it('quarantines a conversion id delivered again with other values, with the raw row and its lineage', async () => {
    const conv = write(
      'conflict.csv',
      lines([...goodConversions, '1002;9002;France;1;broker-name-link;2024-04-22 10:05:00;01review/02notrel/03review', '1002;9002;France;0;other-button;2024-04-22 10:05:00;01review/02notrel/03review']),
    );
    const r = await run(conv, good().broker, 'conflict');
    expect(r.code, r.stderr).toBe(0);
    // the identical copy collapses; the one with other values is quarantined, naming the first
    expect(r.json().conversions).toMatchObject({ read: 5, accepted: 4, quarantined: 1, collapsed: 1 });
    const q = await env.pool.query(
      `SELECT q.line_no, q.reason, q.raw, f.file_sha256 FROM staging.quarantine q
       JOIN ops.batch_files f ON f.batch_id = q.batch_id AND f.source = q.source WHERE q.batch_id = 'conflict'`,
    );
    expect(q.rows).toHaveLength(1);
    const [row] = q.rows;
    expect(row).toMatchObject({ line_no: 6, reason: 'conversion_id 1002 already delivered on line 3 with different values' });
    expect(row.raw).toEqual({
      file_name: 'conflict.csv',
      file_sha256: row.file_sha256,
      line_no: 6,
      field_count: 7,
      nul_fields: null,
      id: '1002',
      session_id: '9002',
      country_name: 'France',
      is_mobile: '0',
      ui_element: 'other-button',
      created_at: '2024-04-22 10:05:00',
      measurement_category: '01review/02notrel/03review',
    });
  });

  it('publishes every row of a long file but the one with a NUL in a field, quarantined with its line', async () => {
    // Thousands of lines in, past the block sniffed for binary content; id = 100000 + line.
    const NUL_LINE = 3456;
    const rows = [CONV_HEADER];
    for (let line = 2; line <= 5001; line++) {
      const ui = line === NUL_LINE ? 'desktop\u0000top5-box' : 'desktop-top5-box';
      const at = new Date(Date.UTC(2024, 3, 23) + line * 7_000).toISOString().slice(0, 19).replace('T', ' ');
      rows.push(`${100_000 + line};${200_000 + line};Germany;0;${ui};${at};01homepa/02notrel/03notrel`);
    }
    const conv = write('nul-field.csv', lines(rows));
    const r = await run(conv, good().broker, 'nul-field');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().conversions).toMatchObject({ read: 5000, accepted: 4999, quarantined: 1 });
    const q = await env.pool.query(
      `SELECT line_no, reason, raw->>'id' AS id, raw->>'ui_element' AS ui_element, raw->'nul_fields' AS nul_fields
       FROM staging.quarantine WHERE batch_id = 'nul-field'`,
    );
    // The NUL is shown as ␀ and the row says which field held it.
    expect(q.rows).toEqual([
      { line_no: NUL_LINE, reason: 'control_character in ui_element (U+0000)', id: String(100_000 + NUL_LINE), ui_element: 'desktop␀top5-box', nul_fields: ['ui_element'] },
    ]);
    const m = await env.pool.query<{ conversion_id: string }>(
      `SELECT conversion_id FROM mart.user_journey WHERE conversion_id::bigint > 100000 ORDER BY conversion_id::bigint`,
    );
    const published = m.rows.map((x) => Number(x.conversion_id) - 100_000);
    expect(published).toEqual(Array.from({ length: 5000 }, (_, i) => i + 2).filter((line) => line !== NUL_LINE));
  });
});
