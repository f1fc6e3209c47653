// The regression gate of `npm run bench` (bench/run-all.js), as pure functions so that
// test/bench/gate.test.ts checks them on real bench output without running a bench:
// argument parsing, which scripts run with which arguments, the median of the runs, the verdict of each
// ratio against bench/targets.json, the results file (bench/out/results.json) and README's table.
// Every ratio is phantom's cost over a reference measured in the same run, so lower is better.
import { availableParallelism } from 'node:os';

/** Exit codes of `npm run bench` (the classes of src/errors.ts). */
export const EXIT = { ok: 0, failed: 1, usage: 2, regression: 4 };

/** A bad flag, an unknown bench name, README without its markers: exit 2. */
export class BenchUsageError extends Error {}

export const README_START = '<!-- bench:start -->';
export const README_END = '<!-- bench:end -->';

/** Median of a non-empty list of numbers (the mean of the two middle values for an even count). */
export function median(xs) {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * `npm run bench -- …` arguments → options. Names select bench scripts by prefix (`features` runs
 * features.mjs and features-duckdb.mjs); `--only` takes exact bench names or ratio keys, comma-separated.
 * @example parseArgs(['--check', '--only', 'serve,cart']) // { check: true, runs: 3, only: ['serve', 'cart'], … }
 */
export function parseArgs(argv) {
  const known = new Set(['--check', '--readme', '--short', '--runs', '--only', '--help', '-h']);
  const o = { check: false, readme: false, short: false, help: false, runs: null, only: [], names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-') && !known.has(a)) throw new BenchUsageError(`unknown option '${a}' (see bench/run-all.js or docs/perf/bench-gate.md)`);
    if (a === '--check') o.check = true;
    else if (a === '--readme') o.readme = true;
    else if (a === '--short') o.short = true;
    else if (a === '--help' || a === '-h') o.help = true;
    else if (a === '--runs' || a === '--only') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new BenchUsageError(`${a} needs a value`);
      if (a === '--only') o.only.push(...v.split(',').filter((x) => x !== ''));
      else {
        o.runs = Number(v);
        if (!Number.isInteger(o.runs) || o.runs < 1) throw new BenchUsageError(`--runs takes a whole number ≥ 1, got '${v}'`);
      }
    } else o.names.push(a);
  }
  o.runs ??= o.check ? 3 : 1;
  // `--readme` alone regenerates the table from the results file without running anything
  o.runBenches = !(o.readme && !o.check && !o.short && o.only.length === 0 && o.names.length === 0 && !argv.includes('--runs'));
  return o;
}

/**
 * The bench scripts to run and their arguments: `[{ bench, args }]`, sorted by name.
 * `available` are the bench names (file names without .mjs); `shortArgs` is targets.json's short.args.
 */
export function planRuns(available, opts, shortArgs = {}) {
  let chosen = [...available].sort();
  if (opts.only.length > 0) {
    const unknown = [];
    const wanted = new Set();
    for (const w of opts.only) {
      // a ratio key ("serve.p99_vs_node_http") selects its bench
      const bench = available.includes(w) ? w : available.filter((b) => w.startsWith(`${b}.`)).sort((x, y) => y.length - x.length)[0];
      if (bench) wanted.add(bench);
      else unknown.push(w);
    }
    if (unknown.length > 0) throw new BenchUsageError(`--only: no bench named ${unknown.map((u) => `'${u}'`).join(', ')} (benches: ${available.join(', ')})`);
    chosen = chosen.filter((b) => wanted.has(b));
  }
  if (opts.names.length > 0) {
    chosen = chosen.filter((b) => opts.names.some((n) => b.startsWith(n)));
    if (chosen.length === 0) throw new BenchUsageError(`no bench script matches ${opts.names.join(', ')} (benches: ${available.join(', ')})`);
  }
  if (!opts.short) return chosen.map((bench) => ({ bench, args: [] }));
  const explicit = opts.only.length > 0 || opts.names.length > 0;
  const missing = chosen.filter((b) => !shortArgs[b]);
  if (explicit && missing.length > 0) {
    throw new BenchUsageError(`--short: ${missing.join(', ')} has no short sizes (bench/targets.json short.args); run it without --short`);
  }
  return chosen.filter((b) => shortArgs[b]).map((bench) => ({ bench, args: shortArgs[bench] }));
}

/**
 * Verdict of each measured ratio. `measured`: { "bench.ratio": { values: [ … ], reference, loads: [ … ] } }.
 * A ratio is a REGRESSION when the median of its runs is above baseline × (1 + noise); goals are
 * reported, not gated; a target's own `noise` overrides the table's. In short mode the ratios are judged against targets.short (small sizes have their
 * own baselines); a ratio without a baseline is reported as 'no target' and never fails. A target with
 * `"gated": false` (a wall-clock ratio, which on the shared machine measures the load; its CPU ratio is gated
 * instead) is judged the same way but never fails: its verdict says 'over limit' where a gated one says
 * REGRESSION, and ends in '(not gated: wall clock)'.
 */
export function judge(measured, targets, mode = 'full', cores = availableParallelism()) {
  const table = mode === 'short' ? (targets.short ?? { ratios: {} }) : targets;
  const noise = table.noise ?? targets.noise;
  return Object.entries(measured).map(([key, m]) => {
    const med = median(m.values);
    const t = table.ratios?.[key];
    const baseline = t?.baseline ?? null;
    const goal = t?.goal ?? null;
    // a ratio may carry its own noise (a latency percentile on the shared machine swings more than a time)
    const ratioNoise = t?.noise ?? noise;
    const limit = baseline === null ? null : baseline * (1 + ratioNoise);
    // a goal is claimed only from runs on a machine that was not overloaded (1-min load ≤ its cores):
    // under load a latency ratio collapses towards 1 because the reference suffers as much as phantom
    const loads = m.loads ?? [];
    const quiet = loads.length > 0 && loads.every((l) => l <= cores);
    const reached = goal !== null && med <= goal;
    const gated = t?.gated !== false;
    const over = gated ? 'REGRESSION' : 'over limit';
    const judged = limit === null ? 'no target' : med > limit ? over : reached && quiet ? 'goal met' : reached ? `ok (goal not judged at load ${Math.max(...loads, 0).toFixed(1)})` : 'ok';
    const verdict = gated || limit === null ? judged : `${judged} (not gated: wall clock)`;
    return { key, median: med, values: m.values, reference: m.reference, loads: m.loads ?? [], baseline, noise: ratioNoise, limit, goal, gated: gated && limit !== null, verdict };
  });
}

/** The exit code of a run: 4 when --check found a regression, else 1 when a bench failed, else 0. */
export function exitCode(rows, failures, check) {
  if (check && rows.some((r) => r.verdict === 'REGRESSION')) return EXIT.regression;
  return failures.length > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * bench/out/results.json after a run: the latest result of every ratio, per mode ('full' | 'short'), each
 * with its date, the load average of its runs, its reference and the arguments its bench ran with.
 * Ratios this run did not measure keep their earlier entry (a subset run does not erase the others).
 */
export function mergeResults(previous, rows, { date, mode, runs, argsOf }) {
  const out = { about: RESULTS_ABOUT, full: { ...(previous?.full ?? {}) }, short: { ...(previous?.short ?? {}) } };
  for (const r of rows) {
    const bench = r.key.slice(0, r.key.indexOf('.'));
    out[mode][r.key] = {
      median: r.median, values: r.values, runs, reference: r.reference, date, load1: r.loads,
      args: argsOf(bench), baseline: r.baseline, limit: r.limit, goal: r.goal, verdict: r.verdict,
    };
  }
  return out;
}

const RESULTS_ABOUT =
  'Written by `npm run bench` (bench/run-all.js): the latest result of each same-run ratio (phantom cost / reference cost, lower is better), ' +
  'per mode (full sizes, or --short). median of `values` (one per run); load1: the 1-minute load average when each run started; ' +
  'args: the arguments of its bench script. `npm run bench -- --readme` renders the full-size entries into README.md.';

const fmt = (x) => (x === null || x === undefined ? '–' : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

/**
 * README's performance table (markdown) from results.json, full-size entries first, then short ones. The
 * verdicts are judged again against the current `targets` (a baseline may have changed since the run).
 */
export function readmeTable(results, targets) {
  const rows = [];
  for (const mode of ['full', 'short']) {
    const entries = Object.entries(results[mode] ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const verdicts = judge(Object.fromEntries(entries.map(([key, e]) => [key, { values: e.values, reference: e.reference, loads: e.load1 }])), targets, mode);
    for (const [i, [key, e]] of entries.entries()) {
      const v = verdicts[i];
      const loads = e.load1?.length ? `${Math.min(...e.load1).toFixed(1)}–${Math.max(...e.load1).toFixed(1)}` : '–';
      const runs = `${e.values.length}${e.values.length > 1 ? `: ${e.values.map(fmt).join(', ')}` : ''}`;
      const sizes = mode === 'full' ? 'full' : `short (${(e.args ?? []).join(' ')})`;
      rows.push(`| ${key} | ${fmt(v.median)} | ${e.reference} | ${runs} | ${e.date.slice(0, 16).replace('T', ' ')} | ${loads} | ${sizes} | ${fmt(v.baseline)} | ${fmt(v.goal)} | ${v.verdict} |`);
    }
  }
  return [
    'Generated by `npm run bench -- --readme` from bench/out/results.json: each number is phantom\'s cost over the',
    'reference measured in the same run (lower is better), the median of its runs, with the date (UTC) and the',
    '1-minute load average of the 2-core machine when the runs started. `npm run bench -- --check` fails (exit 4)',
    'when a median is above baseline × (1 + noise) of bench/targets.json; wall-clock ratios marked "not gated" are',
    'reported only (the CPU ratio of the same bench is gated); see docs/perf/bench-gate.md.',
    '',
    '| ratio | phantom / reference | same-run reference | runs | date (UTC) | load | sizes | baseline | goal | verdict |',
    '| --- | ---: | --- | --- | --- | --- | --- | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}

/** `text` with everything between the bench markers replaced by `body`; throws when the markers are missing. */
export function replaceBetweenMarkers(text, body) {
  const a = text.indexOf(README_START), b = text.indexOf(README_END);
  if (a < 0 || b < a) throw new BenchUsageError(`README.md has no ${README_START} … ${README_END} markers`);
  return `${text.slice(0, a + README_START.length)}\n${body}\n${text.slice(b)}`;
}
