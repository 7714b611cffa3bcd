import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../activities/db/migrate';
import { createPool } from '../../activities/db/pool';
import { createTestDatabase } from './databases';

describe('the migration runner', () => {
  let dir: string;
  let pool: Pool;
  const write = (file: string, sql: string) => fs.writeFileSync(path.join(dir, file), sql);
  const checksums = async () =>
    (await pool.query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM public.journey_migrations ORDER BY name')).rows;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-migrations-'));
    pool = createPool(await createTestDatabase('migrate'));
  });
  afterAll(async () => {
    await pool?.end();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies each file once, in order, and keeps its checksum', async () => {
    write('001_a.sql', 'CREATE TABLE a (x int);\n');
    write('002_b.sql', 'CREATE TABLE b (x int);\n');
    expect(await migrate(pool, dir)).toEqual(['001_a.sql', '002_b.sql']);
    expect(await migrate(pool, dir)).toEqual([]);
    expect((await checksums()).map((r) => [r.name, r.checksum?.length])).toEqual([
      ['001_a.sql', 64],
      ['002_b.sql', 64],
    ]);
  });

  it('refuses a file edited after it was applied, naming it, and applies nothing of that run', async () => {
    write('002_b.sql', 'CREATE TABLE b (x int, y int);\n');
    write('003_c.sql', 'CREATE TABLE c (x int);\n');
    await expect(migrate(pool, dir)).rejects.toThrow(/^migration 002_b\.sql was edited after it was applied to this database/);
    expect((await checksums()).map((r) => r.name)).toEqual(['001_a.sql', '002_b.sql']);
    expect((await pool.query("SELECT to_regclass('public.c') AS c")).rows[0].c).toBeNull();
  });

  it('does not count line ends as an edit', async () => {
    write('002_b.sql', 'CREATE TABLE b (x int);\n');
    write('001_a.sql', 'CREATE TABLE a (x int);\r\n');
    expect(await migrate(pool, dir)).toEqual(['003_c.sql']);
  });

  it('takes the files as they are for a database migrated before checksums were kept', async () => {
    await pool.query('UPDATE public.journey_migrations SET checksum = NULL');
    write('002_b.sql', 'CREATE TABLE b (x int, y int);\n');
    expect(await migrate(pool, dir)).toEqual([]);
    expect((await checksums()).every((r) => r.checksum !== null)).toBe(true);
    write('002_b.sql', 'CREATE TABLE b (x int);\n');
    await expect(migrate(pool, dir)).rejects.toThrow(/^migration 002_b\.sql was edited/);
  });
});
