#!/usr/bin/env node
// Access-log export speed and memory (docs/access-logs.md, docs/performance.md "Access-log export"):
// lines/s by wall clock and by CPU time, and peak RSS, of
//   reference  a plain Node script reading the same file line by line (readline), counting lines;
//   parse      phantom's access-log source in-process (read, parse, sessionise, classify; no output);
//   export     the real `phantom export --from access-log FILE -o events.parquet` (everything);
//   (--capped) the same export with --max-old-space-size=256 (what it needs, not what V8 lazily keeps).
// at 1M and 10M lines of a combined-format log with 50,000 clients, against the reference in the same
// run. The machine may be loaded: read the CPU-time rates and the ratios, not the seconds. CPU time is
// user + system of the whole process from GNU time (the export has a Parquet writer thread beside the
// main thread) and, for the export, of its main thread alone (/proc/self/task/PID/stat at exit, via a
// preloaded module): the export's rate on one core is the main thread's, since the writer thread
// overlaps it. Peak RSS of each child comes from /usr/bin/time (%M).
// Target (issue 16): >= 300,000 lines/s on one core, peak RSS flat in the input size.
// Usage: node bench/access-log.mjs [--sizes 1000000,10000000] [--capped] [--json] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeThreadCpuScript } from './lib/thread-cpu.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node bench/access-log.mjs [--sizes 1000000,10000000] [--capped] [--json] [--keep]');
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = arg('--sizes', '1000000,10000000').split(',').map(Number);
const asJson = args.includes('--json');
const withCapped = args.includes('--capped');
if (!existsSync(join(ROOT, 'dist/cli.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
if (!existsSync('/usr/bin/time')) {
  console.error('bench/access-log.mjs needs GNU time (/usr/bin/time) for peak RSS: apt-get install time');
  process.exit(2);
}

// A deterministic log: xorshift over clients, paths and agents; time advances ~2 ms a line.
async function writeLog(path, n) {
  const uas = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
    'python-requests/2.31.0',
  ];
  const paths = ['/shop/products', '/shop/products/p-17', '/static/app.css', '/static/app.js', '/static/img/p-17.jpg', '/api/cart', '/favicon.ico', '/search?q=suite'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (x) => (x < 10 ? `0${x}` : `${x}`);
  let s = 0x9e3779b9;
  const rnd = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0));
  const out = createWriteStream(path);
  let t = Date.UTC(2025, 0, 6);
  let buf = '';
  for (let i = 0; i < n; i++) {
    t += rnd() % 4;
    const d = new Date(t);
    const c = rnd() % 50_000;
    const line = `10.${(c >> 16) & 255}.${(c >> 8) & 255}.${c & 255} - - [${p2(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000] "GET ${paths[rnd() % paths.length]} HTTP/1.1" 200 ${rnd() % 90_000} "https://shop.example/shop/products" "${uas[c % uas.length]}"\n`;
    buf += line;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise((r) => out.on('finish', r));
}

/** Run a command under GNU time: seconds (wall), CPU seconds (user + system, all threads), peak RSS (MB). */
function timed(cmd, cmdArgs, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...cmdArgs], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const [kb, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds, cpuSeconds: user + sys, rssMb: kb / 1024, stdout: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-access-'));
const refScript = join(dir, 'reference.mjs');
writeFileSync(refScript, `import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
let n = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) if (line.length >= 0) n++;
console.log(n);
`);
// CPU time of the main thread alone, written at exit (the Parquet writer thread is not in it)
const threadCpu = writeThreadCpuScript(dir);
const parseScript = join(dir, 'parse.mjs');
writeFileSync(parseScript, `import { compileFormat } from '${ROOT}/dist/access-log/format.js';
import { resolveZone } from '${ROOT}/dist/access-log/log-time.js';
import { sessionKey } from '${ROOT}/dist/access-log/sessionise.js';
import { UrlClassifier } from '${ROOT}/dist/access-log/url-rules.js';
import { readAccessLogs } from '${ROOT}/dist/sources/access-log.js';
let n = 0, sessions = new Set();
const o = { inputs: [process.argv[2]], format: compileFormat('combined'), sessionBy: null, inactivityMs: 1800000, key: sessionKey(undefined), zone: resolveZone('UTC'), classifier: new UrlClassifier(), keepClientAddress: false, labels: null };
for await (const batch of readAccessLogs(o)) for (const r of batch) { n++; if (r.parsed.ok && n % 1000 === 0) sessions.add(r.parsed.row.sessionId); }
console.log(n);
`);

const results = [];
try {
  for (const n of sizes) {
    const log = join(dir, `access-${n}.log`);
    await writeLog(log, n);
    const ref = timed(process.execPath, [refScript, log]);
    const parse = timed(process.execPath, [parseScript, log]);
    const cpuFile = join(dir, 'main-thread-cpu');
    const exportArgs = [join(ROOT, 'bin/phantom.js'), 'export', '--from', 'access-log', log, '-o', join(dir, `events-${n}.parquet`), '--json', '-q'];
    const exp = timed(process.execPath, ['--import', threadCpu, ...exportArgs], { PHANTOM_BENCH_THREAD_CPU: cpuFile });
    exp.mainThreadCpuSeconds = Number(readFileSync(cpuFile, 'utf8'));
    const summary = JSON.parse(exp.stdout);
    if (Number(ref.stdout) !== n || Number(parse.stdout) !== n || summary.records_written !== n) throw new Error(`line counts differ: reference ${ref.stdout.trim()}, parse ${parse.stdout.trim()}, export ${summary.records_written} (expected ${n})`);
    const runs = [['reference (readline)', ref], ['parse (in-process)', parse], ['export (phantom CLI)', exp]];
    if (withCapped) {
      // the same export with V8's old generation capped: memory the export needs, not what V8 lazily keeps
      const capped = timed(process.execPath, ['--max-old-space-size=256', ...exportArgs]);
      if (JSON.parse(capped.stdout).records_written !== n) throw new Error('the capped export lost lines');
      runs.push(['export, heap capped at 256 MB', capped]);
    }
    for (const [name, m] of runs) {
      results.push({
        lines: n, run: name, seconds: m.seconds, cpuSeconds: m.cpuSeconds, mainThreadCpuSeconds: m.mainThreadCpuSeconds ?? null,
        linesPerSecond: n / m.seconds, linesPerCpuSecond: n / m.cpuSeconds, linesPerMainThreadCpuSecond: m.mainThreadCpuSeconds ? n / m.mainThreadCpuSeconds : null,
        peakRssMb: m.rssMb, cpuVsReference: m.cpuSeconds / ref.cpuSeconds,
      });
    }
    rmSync(log, { force: true });
    rmSync(join(dir, `events-${n}.parquet`), { force: true });
  }
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

// ratios (phantom's cost over the same-run reference's; lower is better), at the largest size
const largest = Math.max(...sizes), smallest = Math.min(...sizes);
const at = (lines, run) => results.find((r) => r.lines === lines && r.run === run);
const refL = at(largest, 'reference (readline)'), expL = at(largest, 'export (phantom CLI)'), expS = at(smallest, 'export (phantom CLI)');
const TARGET = 300_000;
const ratios = {
  export_cpu_vs_readline: { value: expL.cpuSeconds / refL.cpuSeconds, reference: `readline line count of the same file, CPU time of the whole process (${largest.toLocaleString('en-US')} lines)` },
  export_main_thread_cpu_vs_readline: { value: expL.mainThreadCpuSeconds / refL.cpuSeconds, reference: `readline line count of the same file, CPU time; export main thread only (${largest.toLocaleString('en-US')} lines)` },
  ...(largest > smallest ? { peak_rss_growth: { value: expL.peakRssMb / expS.peakRssMb, reference: `the export's own peak RSS at ${smallest.toLocaleString('en-US')} lines (1.0 = flat)` } } : {}),
};
// the 300k lines/s target as a ratio to this run's reference: the export may cost this many readline passes
const goal = refL.linesPerCpuSecond / TARGET;
const json = { bench: 'access-log', node: process.version, cpus: (await import('node:os')).cpus().length, targetLinesPerSecond: TARGET, goalCpuVsReadline: goal, results, ratios };
if (asJson) console.log(JSON.stringify(json, null, 2));
else {
  console.log(`node ${process.version}; CPU time = user + system (GNU time); main = the export's main thread; lower ratio is better\n`);
  console.log(['lines', 'run', 'wall s', 'lines/s (wall)', 'CPU s', 'lines/CPU s', 'main-thread CPU s', 'lines/main CPU s', 'peak RSS MB', 'CPU vs reference'].join('\t'));
  const f = (x) => (x === null ? '–' : Math.round(x).toLocaleString('en-US'));
  for (const r of results) {
    console.log([r.lines.toLocaleString('en-US'), r.run, r.seconds.toFixed(2), f(r.linesPerSecond), r.cpuSeconds.toFixed(2), f(r.linesPerCpuSecond), r.mainThreadCpuSeconds === null ? '–' : r.mainThreadCpuSeconds.toFixed(2), f(r.linesPerMainThreadCpuSecond), r.peakRssMb.toFixed(0), r.cpuVsReference.toFixed(2)].join('\t'));
  }
  console.log(`\nratios: ${Object.entries(ratios).map(([k, v]) => `${k} ${v.value.toFixed(2)}`).join(', ')}; the ${TARGET.toLocaleString('en-US')} lines/s target is a CPU ratio of ${goal.toFixed(2)} against this run's reference`);
  console.log(JSON.stringify(json)); // the machine-readable line npm run bench collects
}
