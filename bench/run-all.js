// `npm run bench`: runs the benchmark scripts in bench/ one after another (each prints a table and, last,
// a JSON line). Names select a subset by prefix: `npm run bench -- features classifier`.
//   --only NAME[,NAME]  exactly these benches (a name, or a ratio key such as serve.p99_vs_node_http)
//   --check             run each selected bench --runs times (default 3), take the median of every same-run
//                       ratio (bench/ratios.mjs) and compare it with bench/targets.json: a median above
//                       baseline × (1 + noise) is a regression beyond noise. Goals are reported, not gated.
//                       Wall-clock ratios (targets with "gated": false) are judged and reported but never fail:
//                       on the shared machine they measure the load; the CPU ratios of the same benches gate.
//   --short             the benches at the small sizes of targets.json short.args (minutes, for CI), gated
//                       against the short baselines; benches without short sizes are skipped
//   --runs N            runs per bench (default 3 with --check, else 1)
//   --readme            rewrite README's performance table (between the bench markers) from
//                       bench/out/results.json; alone it runs nothing, with a selection it runs first
// Exit codes: 0 no regression (or no --check); 4 --check found a ratio above its limit; 1 a bench script
// failed or printed no result line; 2 bad arguments (unknown option or bench, README without markers).
// Files: bench/out/last-run.json (this run: every value with its load average) and bench/out/results.json
// (the latest result of every ratio, kept across subset runs; README's table is rendered from it).
// Examples: npm run bench -- --short --check          (CI gate, minutes)
//           npm run bench -- --check --only serve,cart  (two benches, 3 runs each)
//           npm run bench -- --readme                   (README's table from the results file)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { BenchUsageError, EXIT, exitCode, judge, mergeResults, parseArgs, planRuns, readmeTable, replaceBetweenMarkers } from './gate.mjs';
import { lastBenchJson, ratiosOf } from './ratios.mjs';

const NOT_BENCHES = new Set(['gate', 'measure', 'ratios']);
const outDir = new URL('./out/', import.meta.url);
const resultsUrl = new URL('./out/results.json', import.meta.url);
const targets = JSON.parse(readFileSync(new URL('./targets.json', import.meta.url), 'utf8'));

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
    return EXIT.ok;
  }
  const available = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.mjs')).map((f) => f.slice(0, -4)).filter((b) => !NOT_BENCHES.has(b));
  let code = EXIT.ok;
  if (opts.runBenches) code = runBenches(opts, planRuns(available, opts, targets.short?.args));
  if (opts.readme) {
    if (!existsSync(resultsUrl)) throw new BenchUsageError('--readme: no bench/out/results.json yet; run the benches first (npm run bench -- --check)');
    const readmeUrl = new URL('../README.md', import.meta.url);
    const readme = readFileSync(readmeUrl, 'utf8');
    writeFileSync(readmeUrl, replaceBetweenMarkers(readme, readmeTable(JSON.parse(readFileSync(resultsUrl, 'utf8')), targets)));
    console.log('README.md performance table updated from bench/out/results.json');
  }
  return code;
}

function runBenches(opts, plan) {
  const mode = opts.short ? 'short' : 'full';
  const failures = [];
  const measured = {}; // "bench.ratio" → { values: [], loads: [], reference }
  const perRun = [];
  for (const { bench, args } of plan) {
    for (let k = 0; k < opts.runs; k++) {
      console.log(`\n=== bench/${bench}.mjs ${args.join(' ')}${opts.runs > 1 ? ` (run ${k + 1} of ${opts.runs})` : ''}`);
      const load1 = loadavg()[0], t0 = performance.now();
      const r = spawnSync(process.execPath, [`bench/${bench}.mjs`, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
      process.stdout.write(r.stdout ?? '');
      const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
      console.log(`(bench/${bench}.mjs: ${seconds} s, load average ${load1.toFixed(2)} when it started)`);
      if (r.status !== 0) {
        failures.push(`${bench} (exit ${r.status ?? r.signal})`);
        break;
      }
      const json = lastBenchJson(r.stdout ?? '');
      if (!json) {
        // scripts that gate nothing may print no result line; one that has targets must
        if (Object.keys(targets.ratios).some((key) => key.startsWith(`${bench}.`))) failures.push(`${bench} (no result line)`);
        break;
      }
      const ratios = ratiosOf(json);
      perRun.push({ bench, args, run: k + 1, date: new Date().toISOString(), load1, seconds, ratios: Object.fromEntries(Object.entries(ratios).map(([n, v]) => [n, v.value])) });
      for (const [name, { value, reference }] of Object.entries(ratios)) {
        const m = (measured[`${bench}.${name}`] ??= { values: [], loads: [], reference });
        m.values.push(value);
        m.loads.push(load1);
      }
    }
  }

  const date = new Date().toISOString();
  const rows = judge(measured, targets, mode);
  console.log(`\nsame-run ratios (phantom / reference; lower is better), median of ${opts.runs} run(s), ${mode} sizes, ${date}`);
  for (const r of rows) {
    const limit = r.limit === null ? '' : ` (limit ${r.limit.toFixed(3)})`;
    console.log(`  ${r.key.padEnd(40)} ${r.median.toFixed(3).padStart(8)}  baseline ${r.baseline ?? '–'}${limit}  goal ${r.goal ?? '–'}  ${r.verdict}   (vs ${r.reference})`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(new URL('last-run.json', outDir), `${JSON.stringify({ date, mode, runs: opts.runs, plan, perRun, rows, failures }, null, 2)}\n`);
  const previous = existsSync(resultsUrl) ? JSON.parse(readFileSync(resultsUrl, 'utf8')) : null;
  const argsOf = (bench) => plan.find((p) => p.bench === bench)?.args ?? [];
  writeFileSync(resultsUrl, `${JSON.stringify(mergeResults(previous, rows, { date, mode, runs: opts.runs, argsOf }), null, 2)}\n`);

  const regressions = rows.filter((r) => r.verdict === 'REGRESSION');
  if (failures.length > 0) console.error(`bench: failed: ${failures.join(', ')}`);
  if (opts.check && regressions.length > 0) console.error(`bench: ${regressions.length} ratio(s) regressed beyond noise: ${regressions.map((r) => r.key).join(', ')}`);
  return exitCode(rows, failures, opts.check);
}

try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof BenchUsageError)) throw e;
  console.error(`bench: ${e.message}`);
  process.exitCode = EXIT.usage;
}
