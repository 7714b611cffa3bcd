import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../activities/ingest/file-store';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-store-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('FileStore, the raw layer', () => {
  const store = new FileStore(path.join(root, 'store'));
  const delivered = path.join(root, 'broker_data.csv');

  it('keeps a read-only copy under the digest of its content, with the delivered name', async () => {
    fs.writeFileSync(delivered, 'timestamp,country_residency,ip_country,important_score\r\n1714000000,,Germany,0\r\n');
    const sha256 = createHash('sha256').update(fs.readFileSync(delivered)).digest('hex');
    const stored = await store.put(delivered);
    expect(stored).toEqual({ fileName: 'broker_data.csv', sha256, bytes: fs.statSync(delivered).size, path: store.pathOf(sha256, 'broker_data.csv') });
    expect(fs.readFileSync(stored.path).equals(fs.readFileSync(delivered))).toBe(true);
    expect(fs.statSync(stored.path).mode & 0o222).toBe(0);
  });

  it('keeps what it stored when the delivered file is replaced, and stores the new content beside it', async () => {
    const first = await store.put(delivered);
    fs.writeFileSync(delivered, 'timestamp,country_residency,ip_country,important_score\r\n1714000001,,France,10\r\n');
    const second = await store.put(delivered);
    expect(second.sha256).not.toBe(first.sha256);
    expect(fs.readFileSync(first.path, 'utf8')).toContain('Germany');
    expect(fs.readFileSync(second.path, 'utf8')).toContain('France');
    // a re-delivery is the same entry, and nothing half-written is left behind
    expect(await store.put(delivered)).toEqual(second);
    expect(fs.readdirSync(store.root).filter((f) => f.startsWith('.partial'))).toEqual([]);
  });

  it('stores the same file from many calls at once (a backfill ingests one mapping for every day)', async () => {
    const results = await Promise.all(Array.from({ length: 16 }, () => store.put(delivered)));
    expect(new Set(results.map((r) => r.path)).size).toBe(1);
    expect(fs.readFileSync(results[0].path).equals(fs.readFileSync(delivered))).toBe(true);
  });
});
