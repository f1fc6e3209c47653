// bench: kernels + per-session gap scores + Mann–Whitney on 100k generated sessions (issue 5 target: <= 10 s).
// Reference in the same run: a pandas/numpy/scipy notebook-style implementation (bench/reference/separability.py)
// on the same events, timed for compute after loading (its JSON loading is reported apart).
// Usage: node bench/separability.mjs [sessions=100000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable } from './measure.mjs';

const sessions = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-sep-'));
const gen = (out, extra = []) => {
  const r = spawnSync(process.execPath, ['bin/phantom.js', 'generate', '-n', String(sessions), '--seed', '5', '-o', out, '--experiments-out', join(dir, 'experiments.csv'), '-q', '--json', ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).events;
};
const events = gen(join(dir, 'events.parquet'));
gen(join(dir, 'events.jsonl'));
const rows = [];
const sep = await measure(process.execPath, ['bin/phantom.js', 'separability', join(dir, 'events.parquet'), '--json', '-q']);
if (sep.code !== 0) throw new Error(sep.stderr);
const s = JSON.parse(sep.stdout);
rows.push({ run: 'phantom separability (read + kernels + LOO gaps + MWU)', seconds: sep.seconds.toFixed(2), 'peak RSS MB': Math.round(sep.peakRssMb) });
const ker = await measure(process.execPath, ['bin/phantom.js', 'kernels', join(dir, 'events.parquet'), '-o', join(dir, 'kernels.json'), '--bootstrap', '200', '--json', '-q']);
if (ker.code !== 0) throw new Error(ker.stderr);
rows.push({ run: 'phantom kernels --bootstrap 200', seconds: ker.seconds.toFixed(2), 'peak RSS MB': Math.round(ker.peakRssMb) });
const ref = spawnSync('/usr/bin/python3', ['bench/reference/separability.py', join(dir, 'events.jsonl'), join(dir, 'experiments.csv')], { encoding: 'utf8' });
let refJson = null;
if (ref.status === 0) {
  refJson = JSON.parse(ref.stdout);
  rows.push({ run: 'pandas/numpy/scipy reference: compute only', seconds: refJson.compute_seconds.toFixed(2), 'peak RSS MB': '–' });
  rows.push({ run: 'pandas reference: loading JSON-lines', seconds: refJson.load_seconds.toFixed(2), 'peak RSS MB': '–' });
} else {
  console.error(`reference skipped: ${ref.stderr.split('\n').slice(-3).join(' ')}`);
}
printTable(`separability on ${sessions.toLocaleString('en-US')} sessions (${events.toLocaleString('en-US')} events)`, rows);
if (refJson) console.log(`ratio phantom (end to end, incl. reading) / reference compute: ${(sep.seconds / refJson.compute_seconds).toFixed(2)}`);
console.log(JSON.stringify({ bench: 'separability', sessions, events, rows, phantomP: s.test?.pvalue ?? s.pvalue ?? null, referenceP: refJson?.p ?? null }));
rmSync(dir, { recursive: true, force: true });
