import { Client } from 'pg';
import type { PostgresKind } from './servers';

/** What bulk loads depend on: buffer and sort memory, WAL volume and checkpoints, commit durability. */
export const BULK_LOAD_SETTINGS = [
  'shared_buffers',
  'work_mem',
  'maintenance_work_mem',
  'max_wal_size',
  'checkpoint_timeout',
  'wal_level',
  'synchronous_commit',
  'fsync',
  'full_page_writes',
] as const;

export interface Setting {
  value: string;
  /** pg_settings.source: `default`, `configuration file`, ...: whether someone chose the value. */
  source: string;
}

export interface PostgresServer {
  kind: PostgresKind;
  version: string;
  host: string;
  port: number;
  settings: Record<string, Setting>;
}

/** The server the figures were measured on, read from the server itself (never changed). */
export async function describePostgres(adminUrl: string, kind: PostgresKind): Promise<PostgresServer> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
    const { rows } = await client.query<{ name: string; value: string; source: string }>(
      'SELECT name, current_setting(name) AS value, source FROM pg_settings WHERE name = ANY($1)',
      [BULK_LOAD_SETTINGS],
    );
    const url = new URL(adminUrl);
    return {
      kind,
      version,
      host: url.hostname,
      port: Number(url.port || 5432),
      settings: Object.fromEntries(rows.map((r) => [r.name, { value: r.value, source: r.source }])),
    };
  } finally {
    await client.end();
  }
}

export function formatPostgres(pg: PostgresServer): string[] {
  return [
    `PostgreSQL ${pg.version} at ${pg.host}:${pg.port}, ${pg.kind}:`,
    `  ${BULK_LOAD_SETTINGS.map((name) => `${name}=${pg.settings[name]?.value ?? '?'}${pg.settings[name]?.source === 'default' ? '' : ` (${pg.settings[name]?.source})`}`).join(', ')}`,
  ];
}
