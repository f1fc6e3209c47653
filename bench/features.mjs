// bench: `phantom features` on ~10M generated events (issue 4 targets: <= 20 s, peak RSS < 3 GB, >= 5x pandas).
// Reference in the same run: the pandas implementation of the same definitions (test/oracles/features.py,
// Debian python3-pandas) on a 1M-event sample — pandas needs minutes and many GB at 10M. The ratio compares
// pandas' feature computation alone (JSON parsing excluded) with phantom's whole command (Parquet read,
// features, Parquet write) on the same sample; pandas also checks phantom's values on that sample.
// Usage: node bench/features.mjs [events=10000000] [--keep DIR]   (DIR reuses generated data between runs)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable } from './measure.mjs';

const EVENTS_PER_SESSION = 12.507; // the built-in profiles (measured: 860,000 sessions → 10,755,778 events)
const args = process.argv.slice(2);
const keepAt = args.indexOf('--keep');
const keep = keepAt >= 0 ? args[keepAt + 1] : null;
const target = Number(args.find((a, i) => !a.startsWith('--') && i !== keepAt + 1) ?? 10_000_000);
const dir = keep ?? mkdtempSync(join(tmpdir(), 'phantom-bench-features-'));
mkdirSync(dir, { recursive: true });
const phantom = (argv) => measure(process.execPath, ['bin/phantom.js', ...argv]);

async function generate(file, events) {
  const path = join(dir, file);
  if (existsSync(path)) return path;
  const r = await phantom(['generate', '-n', String(Math.round(events / EVENTS_PER_SESSION)), '--seed', '1', '-o', path, '-q']);
  if (r.code !== 0) throw new Error(`generate ${file}: ${r.stderr}`);
  return path;
}

const big = await generate(`events-${target}.parquet`, target);
const sampleParquet = await generate('sample-1m.parquet', 1_000_000);
const sampleJsonl = await generate('sample-1m.jsonl', 1_000_000);

const rows = [];
async function runPhantom(label, input, out) {
  const r = await phantom(['features', input, '-o', join(dir, out), '--json', '-q']);
  if (r.code !== 0) throw new Error(`${label}: ${r.stderr}`);
  const s = JSON.parse(r.stdout);
  rows.push({ run: label, events: s.events, sessions: s.sessions, 'wall s': r.seconds.toFixed(2), 'peak RSS MB': Math.round(r.peakRssMb), 'events/s': Math.round(s.events / r.seconds) });
  return { ...s, wall: r.seconds, peakRssMb: r.peakRssMb };
}

const full = await runPhantom('phantom, full', big, 'sessions-full.parquet');
const sample = await runPhantom('phantom, 1M sample', sampleParquet, 'sessions-sample.parquet');
const csv = await phantom(['features', sampleJsonl, '-o', join(dir, 'sessions-sample.csv'), '-q']);
if (csv.code !== 0) throw new Error(`phantom csv: ${csv.stderr}`);
const py = await measure('/usr/bin/python3', ['bench/features.py', sampleJsonl, join(dir, 'sessions-sample.csv')]);
if (py.code !== 0) throw new Error(`pandas: ${py.stderr}`);
const pd = JSON.parse(py.stdout.trim().split('\n').pop());
rows.push({ run: `pandas ${pd.pandas}, 1M sample (compute only)`, events: pd.events, sessions: pd.sessions, 'wall s': pd.compute_s.toFixed(2), 'peak RSS MB': Math.round(py.peakRssMb), 'events/s': Math.round(pd.events / pd.compute_s) });
rows.push({ run: `pandas ${pd.pandas}, 1M sample (load + compute)`, events: pd.events, sessions: pd.sessions, 'wall s': py.seconds.toFixed(2), 'peak RSS MB': Math.round(py.peakRssMb), 'events/s': Math.round(pd.events / py.seconds) });

printTable(`phantom features vs pandas (${new Date().toISOString()})`, rows);
const ratio = pd.compute_s / sample.wall;
console.log(`\nspeed-up on the 1M sample, pandas compute only / phantom whole command: ${ratio.toFixed(1)}x (target >= 5x)`);
console.log(`speed-up incl. loading (pandas JSON-lines / phantom Parquet): ${(py.seconds / sample.wall).toFixed(1)}x`);
console.log(`full run: ${full.events.toLocaleString('en-US')} events in ${full.wall.toFixed(2)} s (target <= 20 s), peak RSS ${Math.round(full.peakRssMb)} MB (target < 3072 MB)`);
console.log(`parity on the sample: ${pd.mismatches} of ${pd.values_compared} values differ from pandas by more than 1e-9 relative; sessions ${sample.sessions} vs ${pd.sessions}`);
console.log(JSON.stringify({ bench: 'features', target, rows, ratio, parityMismatches: pd.mismatches, sampleSessions: { phantom: sample.sessions, pandas: pd.sessions } }));
if (!keep) rmSync(dir, { recursive: true, force: true });
