#!/usr/bin/env node
// Access-log reading speed and memory (docs/access-logs.md): lines/s and peak RSS of
//   reference  a plain Node script reading the same file line by line (readline), counting lines;
//   parse      phantom's access-log source in-process (read, parse, sessionise, classify; no output);
//   export     the real `phantom export --from access-log FILE -o events.parquet` (everything), also
//              with --max-old-space-size=256 (what the export needs, not what V8 lazily keeps).
// at 1M and 10M lines of a combined-format log with 50,000 clients, against the reference in the
// same run. Peak RSS of each child comes from /usr/bin/time (GNU time, %M).
// Usage: node bench/access-log.mjs [--sizes 1000000,10000000] [--json] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node bench/access-log.mjs [--sizes 1000000,10000000] [--json] [--keep]');
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = arg('--sizes', '1000000,10000000').split(',').map(Number);
const asJson = args.includes('--json');
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

/** Run a command under GNU time; seconds (wall) and peak RSS (MB). */
function timed(cmd, cmdArgs, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...cmdArgs], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed: ${r.stderr.slice(-500)}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { seconds, rssMb: kb / 1024, stdout: r.stdout };
}

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-access-'));
const refScript = join(dir, 'reference.mjs');
writeFileSync(refScript, `import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
let n = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) if (line.length >= 0) n++;
console.log(n);
`);
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
    const exp = timed(process.execPath, [join(ROOT, 'bin/phantom.js'), 'export', '--from', 'access-log', log, '-o', join(dir, `events-${n}.parquet`), '--json', '-q']);
    // the same export with V8's old generation capped: memory the export needs, not what V8 lazily keeps
    const capped = timed(process.execPath, ['--max-old-space-size=256', join(ROOT, 'bin/phantom.js'), 'export', '--from', 'access-log', log, '-o', join(dir, `events-${n}.parquet`), '--json', '-q']);
    const summary = JSON.parse(exp.stdout);
    if (JSON.parse(capped.stdout).records_written !== n) throw new Error('the capped export lost lines');
    if (Number(ref.stdout) !== n || Number(parse.stdout) !== n || summary.records_written !== n) throw new Error(`line counts differ: reference ${ref.stdout.trim()}, parse ${parse.stdout.trim()}, export ${summary.records_written} (expected ${n})`);
    for (const [name, m] of [['reference (readline)', ref], ['parse (in-process)', parse], ['export (phantom CLI)', exp], ['export, heap capped at 256 MB', capped]]) {
      results.push({ lines: n, run: name, seconds: m.seconds, linesPerSecond: n / m.seconds, peakRssMb: m.rssMb, vsReference: ref.seconds / m.seconds });
    }
    rmSync(log, { force: true });
    rmSync(join(dir, `events-${n}.parquet`), { force: true });
  }
} finally {
  if (!args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

const json = { bench: 'access-log', node: process.version, cpus: (await import('node:os')).cpus().length, results };
if (asJson) console.log(JSON.stringify(json, null, 2));
else {
  console.log(`node ${process.version}; speed relative to the same-run reference (higher is faster)\n`);
  console.log(['lines', 'run', 'seconds', 'lines/s', 'peak RSS MB', 'speed vs reference'].join('\t'));
  for (const r of results) console.log([r.lines.toLocaleString('en-US'), r.run, r.seconds.toFixed(2), Math.round(r.linesPerSecond).toLocaleString('en-US'), r.peakRssMb.toFixed(0), r.vsReference.toFixed(2)].join('\t'));
  console.log(JSON.stringify(json)); // the machine-readable line npm run bench collects
}
