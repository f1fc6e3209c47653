/**
 * Test harness for Redis: Debian's `redis-server` started on a free loopback port with persistence off
 * (`--save '' --appendonly no`), or an external server named by REDIS_URL=redis://… (keys there get a
 * unique prefix per test). Killing the local server mid-test is how `serve`'s degraded mode is tested;
 * `restart()` brings it back on the same port (empty: persistence is off).
 *
 *   describeRedis('serve shares state', () => {
 *     let redis: TestRedis;
 *     beforeAll(async () => { redis = await startRedis(); });
 *     afterAll(() => redis.stop());
 *   });
 *
 * Where redis-server is missing the suite is skipped with one line; under CI=true it fails instead.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { describe, it } from 'vitest';

const ENABLE = 'enable with: apt-get install -y redis-server (CI does this in .ci/run), or set REDIS_URL=redis://…';

export interface TestRedis {
  /** redis://127.0.0.1:PORT (or REDIS_URL) */
  url: string;
  /** a key prefix no other test uses (external servers are shared) */
  prefix: string;
  external: boolean;
  /** SIGKILL the server, as a crash would (local server only); resolves when the port is closed */
  kill(): Promise<void>;
  /** start it again on the same port (local server only); resolves when it answers PING */
  restart(): Promise<void>;
  /** SIGSTOP the server (a hang: connections stay open, nothing is answered); local server only */
  pause(): void;
  /** SIGCONT after `pause` */
  resume(): void;
  stop(): Promise<void>;
}

type Availability = { ok: true } | { ok: false; why: string };
let availability: Availability | null = null;
let prefixSeq = 0;

/** Whether Redis tests can run: REDIS_URL is set, or `redis-server` is on the PATH. */
export function redisAvailability(): Availability {
  if (availability) return availability;
  if (process.env.REDIS_URL) return (availability = { ok: true });
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  availability = r.status === 0 ? { ok: true } : { ok: false, why: 'redis-server is not installed' };
  return availability;
}

/** `describe` for suites that need Redis: skipped with one line when unavailable, failing under CI=true. */
export function describeRedis(name: string, body: () => void): void {
  const a = redisAvailability();
  if (a.ok) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Redis test server (CI must not skip Redis tests)', () => {
        throw new Error(`Redis tests cannot run: ${a.why}; ${ENABLE}`);
      });
    });
  } else {
    process.stderr.write(`[redis] skipping "${name}": ${a.why}; ${ENABLE}\n`);
    describe.skip(name, body);
  }
}

/** A free loopback TCP port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true when a PING on host:port (after AUTH when a password is set) gets +PONG within `ms`. */
function pings(port: number, ms: number, password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(ms, () => done(false));
    sock.once('error', () => done(false));
    sock.connect(port, '127.0.0.1', () => sock.write(`${password === undefined ? '' : `AUTH ${password}\r\n`}PING\r\n`));
    let got = '';
    sock.on('data', (d) => {
      got += d.toString();
      if (got.includes('+PONG')) done(true);
      else if (got.startsWith('-') || got.includes('\r\n-')) done(false);
    });
  });
}

async function waitFor(cond: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function launch(port: number, password?: string): ChildProcess {
  const auth = password === undefined ? [] : ['--requirepass', password];
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...auth], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  return child;
}

/**
 * Start a private redis-server (or use REDIS_URL). With `password` the server requires it
 * (`--requirepass`) and `url` carries it (redis://:password@…).
 */
export async function startRedis(opts: { password?: string } = {}): Promise<TestRedis> {
  const prefix = `phantom-test-${process.pid}-${++prefixSeq}:`;
  if (process.env.REDIS_URL) {
    const unsupported = async (): Promise<void> => {
      throw new Error('kill/restart need the local redis-server (unset REDIS_URL)');
    };
    const cannot = (): void => {
      throw new Error('pause/resume need the local redis-server (unset REDIS_URL)');
    };
    return { url: process.env.REDIS_URL, prefix, external: true, kill: unsupported, restart: unsupported, pause: cannot, resume: cannot, stop: async () => {} };
  }
  const port = await freePort();
  const pw = opts.password;
  let child = launch(port, pw);
  await waitFor(() => pings(port, 200, pw), `redis-server on port ${port}`);
  const exited = (c: ChildProcess): Promise<void> => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', () => r())));
  return {
    url: pw === undefined ? `redis://127.0.0.1:${port}` : `redis://:${encodeURIComponent(pw)}@127.0.0.1:${port}`,
    prefix,
    external: false,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      child = launch(port, pw);
      await waitFor(() => pings(port, 200, pw), `redis-server restart on port ${port}`);
    },
    pause() {
      child.kill('SIGSTOP');
    },
    resume() {
      child.kill('SIGCONT');
    },
    async stop() {
      child.kill('SIGCONT'); // a paused server would not act on SIGTERM
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
