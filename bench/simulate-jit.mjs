// bench: what V8's optimising compiler does in a simulate-grid worker (issue 21 goal 7, docs/perf/gridjit.md).
// Runs the bench grid of bench/simulate.mjs on 1 worker under `--trace-opt --trace-deopt` with
// bench/lib/jit-job-marker.mjs, and counts, in the worker isolate only, TurboFan compiles (OSR apart) and
// deopts per function, with the job each happened in ("prime" = before the first job: primeClosures).
// Compile counts are stable between runs of one build to about ±4; the per-compile times V8 prints are wall
// time on a helper thread and mostly load: read the helper threads' CPU from bench/simulate-timeline.mjs.
// Usage: node bench/simulate-jit.mjs [--repeat 3] [--list] [--node-flags '--flag …']   (needs `npx tsc -p .`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const flag = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
const repeat = Number(flag('--repeat', '3'));
const list = argv.includes('--list');
const nodeFlags = flag('--node-flags', '').split(' ').filter(Boolean);
const marker = fileURLToPath(new URL('./lib/jit-job-marker.mjs', import.meta.url));
const grid = ['bin/phantom.js', 'simulate', '--products', '100', '--alpha', '0:0.6:0.2', '--policy', 'static,surge,defended-surge,linucb,defended-linucb', '--seeds', '2', '--steps', '500', '--no-plot', '-q', '--workers', '1'];
const HOT = /^(walkSession|decide|observe|add|runSimulation|step|truth|choose|score)$/;

function runOnce() {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-jit-'));
  const r = spawnSync('stdbuf', ['-o0', process.execPath, '--trace-opt', '--trace-deopt', ...nodeFlags, '--import', marker, ...grid, '-o', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`grid failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.split('\n');
  const start = lines.indexOf('### WORKER START');
  let job = 'prime';
  const compiles = new Map(), deopts = new Map(), events = [];
  const bump = (m, k) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('### JOB ')) { const j = JSON.parse(line.slice(8)); job = `α#${j.alphaIndex} seed#${j.seedIndex} ${j.policy}`; continue; }
    let m = /^\[completed compiling .*?<JSFunction (\S+) .*?\(target TURBOFAN\)( OSR)?/.exec(line);
    if (m) { const k = m[1] + (m[2] ? ' (OSR)' : ''); bump(compiles, k); events.push(`${job}: compile ${k}`); continue; }
    m = /^\[bailout \(kind: [\w-]+, reason: ([^)]*)\).*?<JSFunction (\S+) .*?bytecode offset (\d+)/.exec(line);
    if (m) { const k = `${m[2]} — ${m[1]} @${m[3]}`; bump(deopts, k); events.push(`${job}: deopt ${k}`); continue; }
    m = /^\[marking dependent code .*?<SharedFunctionInfo (\S+)>\).*reason: (.*)\]$/.exec(line);
    if (m) { const k = `${m[1]} — invalidated: ${m[2]}`; bump(deopts, k); events.push(`${job}: ${k}`); }
  }
  return { compiles, deopts, events };
}

const sum = (m, f = () => true) => [...m].filter(([k]) => f(k)).reduce((s, [, v]) => s + v, 0);
const fn = (k) => k.split(' ')[0];
for (let k = 0; k < repeat; k++) {
  const { compiles, deopts, events } = runOnce();
  console.log(`run ${k + 1}: worker isolate: ${sum(compiles)} compiles (${sum(compiles, (x) => HOT.test(fn(x)))} of the hot path), ${sum(deopts)} deopts/invalidations (${sum(deopts, (x) => HOT.test(fn(x)))} of the hot path)`);
  console.log(`  hot compiles: ${[...compiles].filter(([x]) => HOT.test(fn(x))).sort().map(([x, v]) => `${x} ${v}`).join(', ')}`);
  for (const [x, v] of [...deopts].filter(([d]) => HOT.test(fn(d))).sort()) console.log(`  hot deopt: ${x} ×${v}`);
  if (list) for (const e of events.filter((e) => HOT.test(e.split(': ')[1].split(' ')[1] ?? '') || HOT.test(e.split(': ')[1].split(' ')[0]))) console.log(`    ${e}`);
}
