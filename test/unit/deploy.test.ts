import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { BULK_LOAD_SETTINGS, settingsArgs } from '../../infra/postgres-settings';
import { SEARCH_ATTRIBUTES } from '../../infra/temporal-dev-server';

// Static checks of the deployment files: there is no Docker engine in CI, so this is what
// catches a renamed service, a port clash or credentials that drifted apart.

const root = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Env | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { published?: string | number; target: number })[];
  expose?: (string | number)[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[] };
  deploy?: { replicas?: number };
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as Compose;
const services = compose.services;
const svc = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

function env(s: Service): Env {
  const e = s.environment ?? {};
  if (!Array.isArray(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(
    e.map((kv) => {
      const i = kv.indexOf('=');
      return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
    }),
  );
}

function dependsOn(s: Service): Record<string, string | undefined> {
  const d = s.depends_on ?? [];
  if (Array.isArray(d)) return Object.fromEntries(d.map((n) => [n, undefined]));
  return Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v?.condition]));
}

/** Published ports as { host, container }; short syntax `[ip:]host:container[/proto]` or long syntax. */
function ports(s: Service): { host?: number; container: number }[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: p.published === undefined ? undefined : Number(p.published), container: Number(p.target) };
    const parts = String(p).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts[parts.length - 1]);
    const host = parts.length >= 2 ? Number(parts[parts.length - 2]) : undefined;
    return { host, container };
  });
}

/** Mounts as { source, target, readOnly }; bind sources stay as written (e.g. `./deploy/...`). */
function mounts(s: Service): { source: string; target: string; readOnly: boolean }[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v === 'object') return { source: v.source ?? '', target: v.target, readOnly: !!v.read_only };
    const [source, target, mode = ''] = v.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/** `host:port` split; throws on anything else so a URL-looking address fails loudly. */
function hostPort(address: string): { host: string; port: number } {
  const m = /^([A-Za-z0-9.-]+):(\d+)$/.exec(address);
  if (!m) throw new Error(`not a host:port address: ${address}`);
  return { host: m[1], port: Number(m[2]) };
}

const words = (c: string | string[] | undefined) => (Array.isArray(c) ? c : (c ?? '').split(/\s+/).filter(Boolean));

const INIT_DIR = './deploy/postgresql/initdb.d';

/** Images Temporal no longer updates, with what replaces each. */
const DEPRECATED_IMAGES: Record<string, string> = {
  'temporalio/auto-setup': 'temporalio/server plus a schema job from temporalio/admin-tools (no updates since 1.30)',
  'temporalio/web': 'temporalio/ui',
};

/** `name:tag` of an image reference; the tag is undefined when the reference has none. */
function imageRef(image: string): { name: string; tag?: string } {
  const m = /^([^:@]+)(?::([^@]+))?/.exec(image)!;
  return { name: m[1].replace(/^docker\.io\//, ''), tag: m[2] };
}

/** The script a one-shot service mounts from deploy/ and runs as its entrypoint, as text. */
function entrypointScript(s: Service): string {
  const script = mounts(s).find((m) => m.source.startsWith('./deploy/'));
  expect(script).toBeDefined();
  expect([...words(s.entrypoint), ...words(s.command)]).toContain(script!.target);
  return read(script!.source);
}

describe('docker-compose.yml', () => {
  it('parses and has the services of a deployment', () => {
    expect(compose).toBeTypeOf('object');
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgresql', 'temporal-schema', 'temporal', 'temporal-ui', 'temporal-admin-tools', 'worker']),
    );
    expect(svc('postgresql').image).toMatch(/^postgres:16(\b|$)/);
    expect(svc('temporal-schema').image).toMatch(/^temporalio\/admin-tools:/);
    expect(svc('temporal').image).toMatch(/^temporalio\/server:/);
    expect(svc('temporal-ui').image).toMatch(/^temporalio\/ui:/);
    expect(svc('temporal-admin-tools').image).toMatch(/^temporalio\/admin-tools:/);
  });

  it('uses no deprecated image (no temporalio/auto-setup) and pins every pulled image to a version', () => {
    const pulled = Object.entries(services).filter(([, s]) => s.build === undefined);
    expect(pulled.length).toBeGreaterThanOrEqual(5);
    for (const [name, s] of pulled) {
      expect(s.image, `${name} has an image`).toBeTruthy();
      const { name: image, tag } = imageRef(s.image!);
      expect(DEPRECATED_IMAGES, `${name} uses ${image}: use ${DEPRECATED_IMAGES[image]}`).not.toHaveProperty([image]);
      expect(tag, `${name}: ${s.image} names no tag`).toBeDefined();
      expect(tag, `${name}: ${s.image}`).toMatch(/^\d+(\.\d+)*\b/);
    }
    expect(Object.values(services).map((s) => s.image ?? '').join('\n')).not.toMatch(/auto-setup/);
  });

  it("migrates the schema with the admin tools of the server's own version", () => {
    // The schema steps come from the admin-tools image: another version than the server's
    // would leave the schema behind (or ahead of) what the server expects.
    const version = (name: string) => imageRef(svc(name).image!).tag!.split('-')[0];
    expect(version('temporal-schema')).toBe(version('temporal'));
    expect(version('temporal-admin-tools')).toBe(version('temporal'));
  });

  it('starts PostgreSQL with the bulk-load settings of the embedded server', () => {
    expect(svc('postgresql').command).toEqual(['postgres', ...settingsArgs(BULK_LOAD_SETTINGS)]);
  });

  it('depends_on names existing services only', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, condition] of Object.entries(dependsOn(s))) {
        expect(services, `${name} depends on ${dep}`).toHaveProperty([dep]);
        if (condition !== undefined) {
          expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        }
        if (condition === 'service_healthy') expect(svc(dep).healthcheck, `${dep} needs a healthcheck`).toBeDefined();
      }
    }
  });

  it('publishes unique host ports: PostgreSQL 5432, Temporal 7233, UI 8233', () => {
    const host = Object.values(services).flatMap((s) => ports(s).map((p) => p.host).filter((p) => p !== undefined));
    expect(new Set(host).size).toBe(host.length);
    expect(host).toEqual(expect.arrayContaining([5432, 7233, 8233]));
    expect(ports(svc('postgresql'))).toContainEqual({ host: 5432, container: 5432 });
    expect(ports(svc('temporal'))).toContainEqual({ host: 7233, container: 7233 });
    // The UI as in the dev setup (start-dev serves it on 8233); the UI image listens on 8080.
    expect(ports(svc('temporal-ui'))).toContainEqual({ host: 8233, container: 8080 });
  });

  it('keeps PostgreSQL data on a named volume and checks health with pg_isready', () => {
    const pg = svc('postgresql');
    const data = mounts(pg).find((m) => m.target === '/var/lib/postgresql/data');
    expect(data).toBeDefined();
    expect(compose.volumes ?? {}).toHaveProperty([data!.source]);
    expect(words(pg.healthcheck?.test).join(' ')).toContain('pg_isready');
    expect(mounts(pg)).toContainEqual({ source: INIT_DIR, target: '/docker-entrypoint-initdb.d', readOnly: true });
  });

  it('points Temporal and its schema job at the postgresql service', () => {
    const t = env(svc('temporal'));
    const schema = env(svc('temporal-schema'));
    const pg = env(svc('postgresql'));
    const pgPorts = ports(svc('postgresql')).map((p) => p.container);
    expect(t.DB).toBe('postgres12');
    expect(t.POSTGRES_SEEDS).toBe('postgresql');
    expect(pgPorts).toContain(Number(t.DB_PORT));
    expect(t.POSTGRES_USER).toBe(pg.POSTGRES_USER);
    expect(t.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
    // temporalio/server listens on 127.0.0.1 unless told otherwise: unreachable from the others.
    expect(t.BIND_ON_IP).toBe('0.0.0.0');
    expect(schema).toMatchObject({ SQL_PLUGIN: t.DB, SQL_HOST: t.POSTGRES_SEEDS, SQL_USER: pg.POSTGRES_USER, SQL_PASSWORD: pg.POSTGRES_PASSWORD });
    expect(pgPorts).toContain(Number(schema.SQL_PORT));
    expect(dependsOn(svc('temporal-schema'))).toEqual({ postgresql: 'service_healthy' });
  });

  it('starts the server only after the schema job created and migrated both databases', () => {
    expect(dependsOn(svc('temporal'))).toEqual({ postgresql: 'service_healthy', 'temporal-schema': 'service_completed_successfully' });
    expect(svc('temporal-schema').restart).toBe('no');
    const text = entrypointScript(svc('temporal-schema'));
    expect(text).toMatch(/^set -eu$/m); // a failed step fails the job, so the server does not start
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(text).toContain(`temporal-sql-tool --db "$db" ${step}`);
    // both databases, each from its versioned folder of the image's PostgreSQL v12 schema
    expect(text).toContain('/etc/temporal/schema/postgresql/v12');
    expect(text).toMatch(/\btemporal:temporal\b/);
    expect(text).toMatch(/\btemporal_visibility:visibility\b/);
  });

  it('gives Temporal a dynamic config file that exists in the mounted directory', () => {
    const t = svc('temporal');
    const file = env(t).DYNAMIC_CONFIG_FILE_PATH; // relative to /etc/temporal in the image
    expect(file).toBeTruthy();
    const target = path.posix.join('/etc/temporal', path.posix.dirname(file));
    const mount = mounts(t).find((m) => m.target === target);
    expect(mount, `a mount at ${target}`).toBeDefined();
    const local = path.join(root, mount!.source, path.posix.basename(file));
    expect(fs.existsSync(local), local).toBe(true);
    expect(parse(fs.readFileSync(local, 'utf8'))).toBeTypeOf('object');
  });

  it("connects the worker to the pipeline's database created by the init script", () => {
    const url = new URL(env(svc('worker')).DATABASE_URL);
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe('postgresql');
    expect(services).toHaveProperty([url.hostname]);
    expect(ports(svc('postgresql')).map((p) => p.container)).toContain(Number(url.port || 5432));

    const dir = path.join(root, INIT_DIR);
    const sql = fs
      .readdirSync(dir)
      .filter((f) => /\.(sql|sh)$/.test(f))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, '');
    expect(user).toBe('journey');
    expect(db).toBe('journey');
    const role = new RegExp(`CREATE\\s+(ROLE|USER)\\s+"?${user}"?\\s+(WITH\\s+)?[^;]*\\bLOGIN\\b[^;]*PASSWORD\\s+'([^']*)'`, 'i').exec(sql);
    expect(role, `init script creates login role ${user}`).not.toBeNull();
    expect(role![3]).toBe(password);
    expect(sql).toMatch(new RegExp(`CREATE\\s+DATABASE\\s+"?${db}"?\\s+(WITH\\s+)?OWNER\\s*=?\\s*"?${user}"?`, 'i'));
  });

  it('points the worker and the UI at the temporal service', () => {
    const temporalPorts = ports(svc('temporal')).map((p) => p.container);
    for (const name of ['worker', 'temporal-ui', 'temporal-admin-tools']) {
      const { host, port } = hostPort(env(svc(name)).TEMPORAL_ADDRESS);
      expect(host, name).toBe('temporal');
      expect(temporalPorts, name).toContain(port);
      expect(dependsOn(svc(name)), name).toHaveProperty(['temporal']);
    }
  });

  it('runs `journey worker` from the Dockerfile, scaled out on one task queue', () => {
    const w = svc('worker');
    const build = typeof w.build === 'string' ? { context: w.build } : (w.build ?? {});
    expect(path.resolve(root, build.context ?? '.')).toBe(root);
    expect(fs.existsSync(path.join(root, build.dockerfile ?? 'Dockerfile'))).toBe(true);
    expect(words(w.command)).toEqual(['worker']);
    expect(env(w)).toMatchObject({
      DATABASE_URL: 'postgres://journey:journey@postgresql:5432/journey',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'default',
      JOURNEY_TASK_QUEUE: 'journey',
      JOURNEY_METRICS_PORT: '9464',
    });
    expect(mounts(w)).toContainEqual({ source: './landing', target: '/landing', readOnly: true });
    expect(w.deploy?.replicas).toBeGreaterThanOrEqual(2);
    // Replicas cannot share a fixed host port: metrics stay inside the compose network.
    expect(ports(w).filter((p) => p.host !== undefined)).toEqual([]);
    expect((w.expose ?? []).map(Number)).toContain(9464);
    expect(dependsOn(w)).toMatchObject({
      postgresql: 'service_healthy',
      'temporal-admin-tools': 'service_completed_successfully',
    });
  });

  it('creates the namespace and registers the search attributes the workflows use, idempotently', () => {
    const admin = svc('temporal-admin-tools');
    const text = entrypointScript(admin);
    expect(text).toMatch(/temporal operator namespace describe[^\n]*\n[^\n]*temporal operator namespace create/);
    expect(text).toContain('temporal operator search-attribute create');
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      expect(text).toMatch(new RegExp(`--name ${name} --type ${type}\\b`));
    }
    expect(text).toMatch(/already exists/);
    expect(env(admin).TEMPORAL_NAMESPACE ?? 'default').toBe(env(svc('worker')).TEMPORAL_NAMESPACE);
  });

  it('references only files under deploy/ that exist', () => {
    const refs = Object.values(services).flatMap((s) => mounts(s).map((m) => m.source)).filter((src) => /^\.\/deploy(\/|$)/.test(src));
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(fs.existsSync(path.join(root, ref)), ref).toBe(true);
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stageStarts = lines.flatMap((l, i) => (/^FROM\s/i.test(l) ? [i] : []));
  const finalStage = lines.slice(stageStarts[stageStarts.length - 1]);
  const instr = (stage: string[], name: string) => stage.filter((l) => new RegExp(`^${name}\\s`, 'i').test(l));

  it('is multi-stage on node:20-bookworm-slim and builds with npm ci + npm run build', () => {
    expect(stageStarts.length).toBeGreaterThanOrEqual(2);
    for (const i of stageStarts) expect(lines[i]).toMatch(/^FROM\s+node:20-bookworm-slim\b/i);
    const buildStage = lines.slice(stageStarts[0], stageStarts[1]).join('\n');
    expect(buildStage).toMatch(/npm ci\b/);
    expect(buildStage).toMatch(/npm run build\b/);
    expect(buildStage).toMatch(/npm prune --omit=dev\b/);
  });

  it('runs bin/journey.js as a non-root user in the final stage, `worker` by default', () => {
    const users = instr(finalStage, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1].replace(/^USER\s+/i, '').split(':')[0];
    expect(['root', '0']).not.toContain(user);

    const entrypoint = instr(finalStage, 'ENTRYPOINT').pop()!;
    const exec = JSON.parse(entrypoint.replace(/^ENTRYPOINT\s+/i, '')) as string[];
    expect(exec).toEqual(['node', 'bin/journey.js']);
    const cmd = instr(finalStage, 'CMD').pop()!;
    expect(JSON.parse(cmd.replace(/^CMD\s+/i, ''))).toEqual(['worker']);
    // What the entrypoint needs is copied in: the launcher and the compiled CLI it requires.
    const copies = instr(finalStage, 'COPY').join('\n');
    for (const dir of ['bin', 'dist', 'node_modules']) expect(copies).toMatch(new RegExp(`/app/${dir}\\b`));
    expect(read('bin/journey.js')).toContain("'..', 'dist', 'client', 'cli.js'");
  });

  it('keeps local state and build output out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.data', '.git', 'out']));
  });
});
