// bench: `phantom generate` of ~10M events to Parquet (issue 2 target: >= 1M events/s, peak RSS < 1.5 GB).
// Reference in the same run: the same sessions written as JSON-lines by the same binary.
// Usage: node bench/generate.mjs [sessions=860000]   (≈ 11.6 events per session with the built-in profiles)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable } from './measure.mjs';

const sessions = Number(process.argv[2] ?? 860_000);
const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-gen-'));
const rows = [];
for (const [label, file] of [['parquet (zstd)', 'events.parquet'], ['jsonl (reference)', 'events.jsonl']]) {
  const out = join(dir, file);
  const r = await measure(process.execPath, ['bin/phantom.js', 'generate', '-n', String(sessions), '--seed', '1', '-o', out, '--json', '-q']);
  if (r.code !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const events = JSON.parse(r.stdout).events;
  rows.push({ output: label, events, seconds: r.seconds.toFixed(2), 'events/s': Math.round(events / r.seconds), 'peak RSS MB': Math.round(r.peakRssMb), 'file MB': (statSync(out).size / 1e6).toFixed(1) });
}
printTable(`phantom generate, ${sessions.toLocaleString('en-US')} sessions`, rows);
console.log(`ratio parquet/jsonl wall time: ${(rows[0].seconds / rows[1].seconds).toFixed(2)}`);
console.log(JSON.stringify({ bench: 'generate', sessions, rows }));
rmSync(dir, { recursive: true, force: true });
