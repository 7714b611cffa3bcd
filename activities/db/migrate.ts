import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { inTransaction } from './pool';

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK = 7_420_211;

/** Of the text, with line ends as git may check them out either way, so only an edit changes it. */
const checksumOf = (sql: string) => createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

/**
 * Applies the numbered SQL files once each, in order; safe when several processes start together.
 * A file edited after it was applied to this database is refused, naming it: the edit would
 * never run here, so the schema would silently differ from the files. A change is a new file.
 */
export async function migrate(pool: Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = fs.readdirSync(dir).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS public.journey_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    // Databases migrated before checksums were kept have the column added, empty.
    await client.query('ALTER TABLE public.journey_migrations ADD COLUMN IF NOT EXISTS checksum text');
    const { rows } = await client.query<{ name: string; checksum: string | null }>('SELECT name, checksum FROM public.journey_migrations');
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const file of files) {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      const checksum = checksumOf(sql);
      if (!done.has(file)) {
        await client.query(sql);
        await client.query('INSERT INTO public.journey_migrations (name, checksum) VALUES ($1, $2)', [file, checksum]);
        applied.push(file);
      } else if (done.get(file) === null) {
        // Applied before checksums were kept: what it was then is unknown, so today's text is taken as it.
        await client.query('UPDATE public.journey_migrations SET checksum = $2 WHERE name = $1', [file, checksum]);
      } else if (done.get(file) !== checksum) {
        throw new Error(
          `migration ${file} was edited after it was applied to this database (${path.join(dir, file)}): restore it and put the change in a new migration`,
        );
      }
    }
    return applied;
  });
}
