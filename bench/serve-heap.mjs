// bench: does `phantom serve` retain memory under a steady load? (issue 21 goal 6: RSS flat). Starts the real
// binary as bench/serve.mjs does (LinUCB, fixture classifier and kernels, --session-ttl 60s), drives the same
// wrk workload (bench/serve-wrk.lua, 2,000 req/s requested) and, at the given minutes, makes the server write a
// V8 heap snapshot (node --heapsnapshot-signal=SIGUSR2; a snapshot first runs a full GC, so it holds only
// retained objects). Each snapshot is summarised by constructor / string / array name (count, self bytes), and
// the largest growths between the first and each later snapshot are printed, with the server's own counts
// (sessions held, decisions held, from /metrics) at the same moment.
// Usage: node bench/serve-heap.mjs [--at 1,3,5] (minutes) [--rate 2000] [--top 15] [-- extra phantom serve flags…]
// Needs `npx tsc -p .` and wrk (apt-get install wrk).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { printTable } from './measure.mjs';
import { trainServeModels } from './lib/serve-models.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv, extra = dash >= 0 ? argv.slice(dash + 1) : [];
const opt = (name, fallback) => (own.includes(name) ? own[own.indexOf(name) + 1] : fallback);
const at = opt('--at', '1,3,5').split(',').map(Number);
const rate = Number(opt('--rate', '2000')), top = Number(opt('--top', '15'));
const WRK_DELAY_MS = 10, connections = Math.round((rate * (WRK_DELAY_MS + 0.5)) / 1000);
if (spawnSync('wrk', ['--version']).error !== undefined) throw new Error('wrk is not installed (apt-get install wrk)');

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-heap-'));
trainServeModels(dir);

const snapDir = join(dir, 'snapshots');
mkdirSync(snapDir, { recursive: true });
const child = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`, join(process.cwd(), 'bin/phantom.js'), 'serve', '--json', '--port', '0',
  '--policy', 'linucb', '--model', join(dir, 'model.json'), '--kernels', join(dir, 'kernels.json'), '--session-ttl', '60s', '--max-sessions', '20000', ...extra],
{ stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
  child.stdout.on('data', (d) => {
    out += d;
    try {
      resolve(JSON.parse(out).port);
    } catch {}
  });
});

const wrk = spawn('wrk', ['-t1', `-c${connections}`, `-d${Math.max(...at) * 60 + 10}s`, '--timeout', '2s', '-s', 'bench/serve-wrk.lua', `http://127.0.0.1:${port}`], {
  env: { ...process.env, WRK_DELAY_MS: String(WRK_DELAY_MS) }, stdio: ['ignore', 'ignore', 'inherit'],
});
const t0 = Date.now();
const gauge = (text, name) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
const taken = [];
for (const minute of at) {
  await new Promise((r) => setTimeout(r, Math.max(0, t0 + minute * 60_000 - Date.now())));
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const requests = [...metrics.matchAll(/^phantom_http_requests_total\{[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
  const before = new Set(readdirSync(snapDir));
  child.kill('SIGUSR2');
  let file;
  // the snapshot is written synchronously by the server; wait until its size stops changing
  for (let last = -1; ; ) {
    await new Promise((r) => setTimeout(r, 1000));
    file ??= readdirSync(snapDir).find((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
    if (file === undefined) continue;
    const size = statSync(join(snapDir, file)).size;
    if (size === last && size > 0) break;
    last = size;
  }
  taken.push({ minute, file: join(snapDir, file), requests, sessions: gauge(metrics, 'phantom_sessions'), decisions: gauge(metrics, 'phantom_decisions'), rssMb: gauge(metrics, 'process_resident_memory_bytes') / 2 ** 20, load: loadavg()[0] });
}
wrk.kill('SIGTERM');
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));

/** Self size and count per node name (constructor for objects, "(string)" for strings, …) and the total. */
function summarise(path) {
  const snap = JSON.parse(readFileSync(path, 'utf8'));
  const f = snap.snapshot.meta.node_fields, types = snap.snapshot.meta.node_types[0];
  const stride = f.length, iType = f.indexOf('type'), iName = f.indexOf('name'), iSize = f.indexOf('self_size');
  const byName = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + iType]], size = snap.nodes[i + iSize];
    const key = type === 'object' || type === 'closure' || type === 'native' ? `${type}:${snap.strings[snap.nodes[i + iName]]}` : `(${type})`;
    const e = byName.get(key) ?? { count: 0, bytes: 0 };
    e.count++;
    e.bytes += size;
    byName.set(key, e);
    total += size;
  }
  return { byName, total };
}

const sums = taken.map((t) => ({ ...t, ...summarise(t.file) }));
printTable(`phantom serve heap snapshots (after a full GC) under ${rate} req/s requested`, sums.map((s) => ({
  minute: s.minute, 'requests so far': s.requests, sessions: s.sessions, decisions: s.decisions, 'heap MB (snapshot)': (s.total / 2 ** 20).toFixed(2), 'RSS MB': s.rssMb.toFixed(1), load: s.load.toFixed(2),
})));
const first = sums[0];
for (const s of sums.slice(1)) {
  const rows = [...s.byName].map(([name, e]) => {
    const b = first.byName.get(name) ?? { count: 0, bytes: 0 };
    return { name: name.slice(0, 60), 'count Δ': e.count - b.count, 'bytes Δ': e.bytes - b.bytes, [`count at ${s.minute} min`]: e.count, [`MB at ${s.minute} min`]: (e.bytes / 2 ** 20).toFixed(2) };
  }).sort((a, b) => Math.abs(b['bytes Δ']) - Math.abs(a['bytes Δ'])).slice(0, top);
  printTable(`largest retained-size changes, minute ${first.minute} → ${s.minute}`, rows);
}
console.log(JSON.stringify({ bench: 'serve-heap', rate, at, snapshots: sums.map((s) => ({ minute: s.minute, requests: s.requests, sessions: s.sessions, decisions: s.decisions, heapBytes: s.total, rssMb: s.rssMb, load: s.load })), loadavg: loadavg() }));
rmSync(dir, { recursive: true, force: true });
