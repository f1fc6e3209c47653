// bench: `phantom features` against DuckDB running the same feature definitions as SQL (bench/lib/features.sql,
// written from docs/features.md) on the same events.parquet, 1M and 10M events (issue #21 goal 1: at or
// below DuckDB's time; 10M events within 1.2 GB peak RSS). Both sides are whole processes that read the
// events Parquet and write a sessions Parquet (ZSTD); DuckDB runs on 2 threads (this machine's cores).
// The outputs are compared value by value (bench/lib/features-parity.mjs) so the SQL is known to compute
// the same thing. Usage: node bench/features-duckdb.mjs [--sizes 1000000,10000000] [--keep DIR]
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSessions } from './lib/features-parity.mjs';
import { measure, printTable } from './measure.mjs';

const EVENTS_PER_SESSION = 12.507; // the built-in profiles (see bench/features.mjs)
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const sizes = (flag('--sizes') ?? '1000000,10000000').split(',').map(Number);
const keep = flag('--keep');
const dir = keep ?? mkdtempSync(join(tmpdir(), 'phantom-bench-duckdb-'));
mkdirSync(dir, { recursive: true });

const rows = [];
const ratios = {};
const parity = {};
for (const size of sizes) {
  const events = join(dir, `events-${size}.parquet`);
  if (!existsSync(events)) {
    const g = await measure(process.execPath, ['bin/phantom.js', 'generate', '-n', String(Math.round(size / EVENTS_PER_SESSION)), '--seed', '1', '-o', events, '-q']);
    if (g.code !== 0) throw new Error(`generate: ${g.stderr}`);
  }
  const ours = join(dir, `sessions-phantom-${size}.parquet`), theirs = join(dir, `sessions-duckdb-${size}.parquet`);
  const p = await measure(process.execPath, ['bin/phantom.js', 'features', events, '-o', ours, '--json', '-q']);
  if (p.code !== 0) throw new Error(`phantom features: ${p.stderr}`);
  const d = await measure(process.execPath, ['bench/lib/features-duckdb-run.mjs', events, theirs, '2']);
  if (d.code !== 0) throw new Error(`duckdb: ${d.stderr}`);
  const s = JSON.parse(p.stdout);
  rows.push({ events: s.events, sessions: s.sessions, run: 'phantom features', 'wall s': p.seconds.toFixed(2), 'CPU s': p.cpuSeconds.toFixed(2), 'peak RSS MB': Math.round(p.peakRssMb) });
  rows.push({ events: s.events, sessions: s.sessions, run: 'DuckDB SQL, 2 threads (reference)', 'wall s': d.seconds.toFixed(2), 'CPU s': d.cpuSeconds.toFixed(2), 'peak RSS MB': Math.round(d.peakRssMb) });
  const label = size >= 1e6 ? `${size / 1e6}m` : String(size);
  ratios[`vs_duckdb_${label}`] = { value: p.seconds / d.seconds, reference: `DuckDB wall time, ${label} events, bench/lib/features.sql, 2 threads` };
  ratios[`cpu_vs_duckdb_${label}`] = { value: p.cpuSeconds / d.cpuSeconds, reference: `DuckDB CPU time (all threads), ${label} events` };
  const c = await compareSessions(ours, theirs);
  parity[label] = c;
  console.error(`${label}: phantom ${p.seconds.toFixed(2)} s (CPU ${p.cpuSeconds.toFixed(2)}) / ${Math.round(p.peakRssMb)} MB, DuckDB ${d.seconds.toFixed(2)} s (CPU ${d.cpuSeconds.toFixed(2)}) / ${Math.round(d.peakRssMb)} MB; parity: ${c.unmatched} unmatched sessions, ${c.mismatches.length} columns differ`);
}

printTable(`phantom features vs DuckDB (${new Date().toISOString()}, load average ${loadavg()[0].toFixed(1)})`, rows);
for (const [label, c] of Object.entries(parity)) {
  console.log(`parity at ${label}: ${c.sessions.toLocaleString('en-US')} sessions × ${c.columns} columns, ${c.unmatched} unmatched, ` +
    (c.mismatches.length ? c.mismatches.map((m) => `${m.column} (${m.count}, e.g. ${m.example})`).join(', ') : 'every value equal (floats within 1e-9)'));
}
console.log(JSON.stringify({ bench: 'features-duckdb', sizes, rows, parity, ratios }));
if (!keep) rmSync(dir, { recursive: true, force: true });
