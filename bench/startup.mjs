#!/usr/bin/env node
// Start-up cost of every phantom command: CPU seconds (user + sys) and peak RSS of
// `node bin/phantom.js <cmd> --help`, median of N runs, against `node -e 0` measured in the same run.
// CPU, not wall clock: the machine is shared, CPU time is what the process itself spends.
// --compare DIR also measures DIR/bin/phantom.js (another built checkout), alternating runs with this one.
// Prints, last, one JSON line with `ratios.distill_help_cpu_vs_node` (`distill --help` CPU ÷ `node -e 0` CPU) for the gate.
// Usage: node bench/startup.mjs [--runs 5] [--json] [--compare DIR]   (needs /usr/bin/time; build first: npx tsc -p tsconfig.json)
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const runs = Number(argv[argv.indexOf('--runs') + 1]) || 5;
const json = argv.includes('--json');
const compare = argv.includes('--compare') ? join(argv[argv.indexOf('--compare') + 1], 'bin', 'phantom.js') : null;
const commands = ['', 'generate', 'kernels', 'clusters', 'separability', 'simulate', 'auction', 'export', 'features', 'serve',
  'train-classifier', 'evaluate', 'predict', 'distill', 'pipeline'];
const dir = mkdtempSync(join(tmpdir(), 'phantom-startup-'));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };

/** CPU seconds and peak RSS (MB) of one run of `args`, measured by /usr/bin/time. */
function once(args) {
  const out = join(dir, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, ...args], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  const [u, s, m] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { cpu: u + s, rss: m / 1024 };
}
function measure(args) {
  const xs = Array.from({ length: runs }, () => once(args));
  return { cpu: median(xs.map((x) => x.cpu)), rss: median(xs.map((x) => x.rss)) };
}

const load = loadavg()[0];
const ref = measure(['node', '-e', '0']);
const rows = commands.map((c) => {
  const args = [...(c ? [c] : []), '--help'];
  if (compare === null) return { command: c || '(top level)', ...measure(['node', 'bin/phantom.js', ...args]) };
  const mine = [];
  const theirs = [];
  for (let i = 0; i < runs; i++) {
    theirs.push(once(['node', compare, ...args]));
    mine.push(once(['node', 'bin/phantom.js', ...args]));
  }
  return {
    command: c || '(top level)', cpu: median(mine.map((x) => x.cpu)), rss: median(mine.map((x) => x.rss)),
    compareCpu: median(theirs.map((x) => x.cpu)), compareRss: median(theirs.map((x) => x.rss)),
  };
});
rmSync(dir, { recursive: true, force: true });
// the gate's ratio (bench/ratios.mjs, bench/targets.json): `distill --help` CPU over `node -e 0` CPU, same run
const distillHelp = rows.find((r) => r.command === 'distill');
const ratios = { distill_help_cpu_vs_node: { value: distillHelp.cpu / ref.cpu, reference: `node -e 0 CPU (user + sys), median of ${runs}, same run` } };
if (json) {
  console.log(JSON.stringify({ bench: 'startup', date: new Date().toISOString(), load, runs, reference: ref, rows, ratios }, null, 2));
} else {
  console.log(`phantom <cmd> --help, median of ${runs}; load ${load.toFixed(2)}; reference node -e 0: ${ref.cpu.toFixed(3)} s CPU, ${ref.rss.toFixed(0)} MB`);
  console.log(`command            CPU s   minus node   RSS MB${compare ? `   | ${compare}: CPU s   RSS MB` : ''}`);
  for (const r of rows) {
    const other = compare ? `   | ${r.compareCpu.toFixed(3).padStart(6)}   ${r.compareRss.toFixed(0).padStart(6)}` : '';
    console.log(`${r.command.padEnd(18)} ${r.cpu.toFixed(3).padStart(6)}   ${(r.cpu - ref.cpu).toFixed(3).padStart(9)}   ${r.rss.toFixed(0).padStart(6)}${other}`);
  }
  // last line: the result `npm run bench` reads (bench/run-all.js)
  console.log(JSON.stringify({ bench: 'startup', date: new Date().toISOString(), load, runs, reference: ref, rows, ratios }));
}
