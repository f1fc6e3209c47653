// An unreachable Postgres never sits silent (issue 17, build 6): a refused port and a port that accepts TCP but
// never answers are retried with a progress callback until the connect timeout, then one UsageError line names
// host:port/db and never the password; a real server (embedded PostgreSQL) that answers only after the first
// attempt gave up is reached by a retry. Loopback only; every case is bounded by its timeout.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { connectClient, resolveDatabaseUrl, type ConnectRetry } from '../../src/sources/pg-connection.js';
import { phantom, ROOT } from '../support/cli.js';
import { describePostgres, startPostgres, type TestPostgres } from '../support/postgres.js';

const SECRET = 'pa55-w0rd';
let silent: Server;
const sockets: Socket[] = [];
let silentPort = 0, closedPort = 0;
const work = mkdtempSync(join(tmpdir(), 'pg-connect-'));

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  silent = createServer((s) => { sockets.push(s); }); // accepts, never writes
  silentPort = await listen(silent);
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((r) => probe.close(r)); // nothing listens there now
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent.close(r));
  rmSync(work, { recursive: true, force: true });
});

async function failure(port: number, timeoutMs: number): Promise<{ error: Error; retries: ConnectRetry[]; ms: number }> {
  const retries: ConnectRetry[] = [];
  const t0 = Date.now();
  const error = await connectClient(resolveDatabaseUrl(`postgres://phantom:${SECRET}@127.0.0.1:${port}/shop`), { timeoutMs, onRetry: (r) => retries.push(r) })
    .then(() => new Error('connected'), (e: Error) => e);
  return { error, retries, ms: Date.now() - t0 };
}

describe('connectClient retries an unreachable server until the connect timeout', () => {
  it('a refused port: several attempts with backoff, then one line naming the server', async () => {
    const { error, retries, ms } = await failure(closedPort, 1000);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(new RegExp(`^cannot connect to Postgres at 127\\.0\\.0\\.1:${closedPort}/shop: connection refused \\(is the server running and the port right\\?\\) \\(gave up after (\\d+) attempts, connect timeout 1 s\\)$`));
    expect(Number(/after (\d+) attempts/.exec(error.message)![1])).toBe(retries.length + 1); // every failure but the last was told: a retry followed
    expect(error.message).not.toContain(SECRET);
    expect(retries.length).toBeGreaterThanOrEqual(2); // 250 ms, 500 ms, … backoff fits at least two retries in 1 s
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1));
    expect(retries.every((r) => r.reason.startsWith('connection refused') && r.timeoutMs === 1000)).toBe(true);
    expect(ms).toBeLessThan(5000);
  });
});

describe('phantom export --from supabase --connect-timeout', () => {
  it('prints progress while retrying, then exits 2 with one line naming host:port, no password, no output', () => {
    const out = join(work, 'events.parquet');
    const r = phantom(['export', '--from', 'supabase', '--database-url', `postgres://phantom:${SECRET}@127.0.0.1:${silentPort}/shop`, '--connect-timeout', '3s', '-o', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^postgres: cannot reach 127\\.0\\.0\\.1:${silentPort}/shop yet \\(no answer \\(connection timeout\\); attempt 1, 2 s of --connect-timeout 3 s\\); retrying`));
    expect(lines.at(-1)).toBe(`phantom export: cannot connect to Postgres at 127.0.0.1:${silentPort}/shop: no answer (connection timeout) (gave up after 2 attempts, connect timeout 3 s)`);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  }, 20_000);

  it('the first SIGINT while an attempt is in flight ends the process at once (exit 130, nothing written)', async () => {
    const out = join(work, 'int.parquet');
    const child = spawn(process.execPath, [join(ROOT, 'bin/phantom.js'), 'export', '--from', 'supabase', '--database-url', `postgres://phantom:${SECRET}@127.0.0.1:${silentPort}/shop`, '-o', out], { cwd: ROOT });
    let stderr = '', signalledAt = 0;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (signalledAt === 0 && stderr.includes('cannot reach')) {
          signalledAt = -1;
          setTimeout(() => { signalledAt = Date.now(); child.kill('SIGINT'); }, 500); // after the 250 ms backoff: the second attempt (4 s) is in flight
        }
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(Date.now() - signalledAt).toBeLessThan(1500); // not the 4 s the attempt in flight had, nor the 30 s default timeout
    expect(stderr).toMatch(/stopped by SIGINT before the export finished/);
    expect(stderr).not.toContain(SECRET);
    expect(existsSync(out)).toBe(false);
  }, 20_000);

  it('--connect-timeout needs a duration and applies only to --from supabase', () => {
    const bad = phantom(['export', '--from', 'supabase', '--database-url', 'postgres://u@127.0.0.1:1/db', '--connect-timeout', 'soon', '-o', join(work, 'x.parquet')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--connect-timeout takes a duration like 60s, 5m or 1h, got "soon"/);
    const other = phantom(['export', '--from', 'file', 'fixtures/events.jsonl', '--connect-timeout', '5s', '-o', join(work, 'y.parquet')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--connect-timeout/);
  });
});

describePostgres('connectClient reaches a server that answers late', () => {
  let pg: TestPostgres;
  beforeAll(async () => { pg = await startPostgres(); }, 30_000);
  afterAll(async () => { await pg?.stop(); });

  it('a frozen server (accepts TCP, silent) thawed after the first attempt gave up: the retry connects', async (ctx) => {
    if (pg.external) ctx.skip(); // freeze() needs the embedded server
    const thaw = pg.freeze();
    const thawed = setTimeout(thaw, 2200); // the first attempt gives up at 2 s, the retry starts at 2.25 s
    const retries: ConnectRetry[] = [];
    try {
      const client = await connectClient(resolveDatabaseUrl(pg.url), { timeoutMs: 8000, onRetry: (r) => retries.push(r) });
      try {
        const res = await client.query('SELECT 1 + 1 AS two');
        expect(res.rows).toEqual([{ two: 2 }]);
      } finally {
        await client.end();
      }
    } finally {
      clearTimeout(thawed);
      thaw();
    }
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 1, timeoutMs: 8000, reason: 'no answer (connection timeout)' });
  }, 20_000);
});
