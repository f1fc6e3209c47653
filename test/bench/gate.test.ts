// The regression gate of `npm run bench -- --check` (bench/gate.mjs, bench/ratios.mjs) on real bench output:
// the fixtures are the stdout of real runs (bench/cart.mjs at --rows 20000 three times, bench/serve.mjs
// for 30 s, and one short run each of distill, predict, booster-threads and startup; see
// test/bench/fixtures/README.md). No bench is spawned here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BenchUsageError, EXIT, exitCode, judge, median, mergeResults, parseArgs, planRuns, README_END, README_START, readmeTable, replaceBetweenMarkers, type Targets,
} from '../../bench/gate.mjs';
import { lastBenchJson, ratiosOf } from '../../bench/ratios.mjs';

const ROOT = join(import.meta.dirname, '../..');
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const targets = JSON.parse(readFileSync(join(ROOT, 'bench/targets.json'), 'utf8')) as Targets;
const cartRuns = [1, 2, 3].map((k) => fixture(`cart-20k-run${k}.txt`));
const cartJson = cartRuns.map((out) => lastBenchJson(out)!);
const cartValues = cartJson.map((j) => ratiosOf(j).fit_vs_sklearn!.value);

describe('reading a bench run', () => {
  it('takes the last JSON line of a real run and its ratio', () => {
    for (const [k, j] of cartJson.entries()) {
      expect(j.bench).toBe('cart');
      // the derived ratio is the field the script printed
      expect(cartValues[k]).toBe(j.ratioPhantomOverSklearn);
    }
    expect(lastBenchJson('a table\nno json here\n')).toBeNull();
  });

  it("serve's p99 ratio divides by the mean of the reference runs before and after", () => {
    const j = lastBenchJson(fixture('serve-30s.txt'))!;
    const rows = j.results as { 'p99 ms': number; 'CPU µs/req': number }[];
    const r = ratiosOf(j);
    expect(r.p99_vs_node_http!.value).toBeCloseTo(rows[0]!['p99 ms'] / ((rows[1]!['p99 ms'] + rows[2]!['p99 ms']) / 2), 12);
    expect(r.cpu_per_request_vs_node_http!.value).toBeCloseTo(rows[0]!['CPU µs/req'] / ((rows[1]!['CPU µs/req'] + rows[2]!['CPU µs/req']) / 2), 12);
  });

  it("ignores simulate's speed-ups (higher is better) and derives its cost ratio", () => {
    const sim = { bench: 'simulate', grid: [{ workers: 1, seconds: '10.00' }, { workers: 2, seconds: '8.00' }], ratios: { gridSpeedup2v1: 1.25, gridSpeedup2v1Projected: 1.6 } };
    expect(Object.keys(ratiosOf(sim))).toEqual(['grid_2w_vs_1w']);
    expect(ratiosOf(sim).grid_2w_vs_1w!.value).toBe(0.8);
  });
});

describe('CPU ratios from real short runs (load-independent; the wall ratios are reported, not gated)', () => {
  const distill = lastBenchJson(fixture('distill-20k.txt'))!;
  const predict = lastBenchJson(fixture('predict-20k.txt'))!;
  const booster = fixture('booster-threads-20k.txt');
  const boosterJson = lastBenchJson(booster)!;

  it("distill: the CLI's median process CPU over the reference's process CPU, as the bench printed it", () => {
    const ref = distill.reference as { times: { total: number; total_cpu: number } };
    const r = ratiosOf(distill);
    expect(r.cli_cpu_vs_reference_cpu!.value).toBe((distill.cliMedianCpuSeconds as number) / ref.times.total_cpu);
    // the bench's own table line: "CPU: CLI end to end 1.41 s (median of 3, GNU time) / reference compute 0.44 s = 3.20"
    const printed = /CPU: CLI end to end .* = ([\d.]+)$/m.exec(fixture('distill-20k.txt'))![1]!;
    expect(r.cli_cpu_vs_reference_cpu!.value.toFixed(2)).toBe(printed);
    expect(r.cli_vs_reference!.value).toBe((distill.cliMedianSeconds as number) / ref.times.total);
  });

  it('predict: best process CPU and best main-thread CPU over the best xgboost predict CPU', () => {
    const r = ratiosOf(predict);
    const min = (k: string) => Math.min(...(predict[k] as number[]));
    expect(r.cpu_vs_xgboost_predict!.value).toBe(min('phantomFlatCpu') / min('xgboostPredictCpu'));
    expect(r.main_cpu_vs_xgboost_predict!.value).toBe(min('phantomFlatMainThreadCpu') / min('xgboostPredictCpu'));
  });

  it("booster-threads: busiest-thread and process CPU ratios equal the bench's printed table", () => {
    const r = ratiosOf(boosterJson);
    const printed = (re: RegExp) => Number(re.exec(booster)![1]);
    expect(r.train_cpu_vs_xgboost_2t!.value.toFixed(2)).toBe(printed(/^phantom trainBooster, threads: 2 .* ([\d.]+)× *$/m).toFixed(2));
    expect(r.command_cpu_vs_xgboost_2t!.value.toFixed(2)).toBe(printed(/ ([\d.]+)× CPU vs DMatrix \+ train/).toFixed(2));
  });

  it('startup: distill --help CPU over node -e 0 CPU from its JSON line', () => {
    const j = lastBenchJson(fixture('startup-runs3.txt'))!;
    const rows = j.rows as { command: string; cpu: number }[];
    expect(ratiosOf(j).distill_help_cpu_vs_node!.value).toBe(rows.find((x) => x.command === 'distill')!.cpu / (j.reference as { cpu: number }).cpu);
  });

  it('a wall ratio over its limit is reported but does not fail the check; a CPU ratio over its limit does', () => {
    const cpu = ratiosOf(distill).cli_cpu_vs_reference_cpu!.value, wall = ratiosOf(distill).cli_vs_reference!.value;
    const t: Targets = { noise: 0.3, ratios: { 'distill.cli_vs_reference': { gated: false, baseline: wall / 2 }, 'distill.cli_cpu_vs_reference_cpu': { baseline: cpu / 2 } } };
    const rows = judge({ 'distill.cli_vs_reference': { values: [wall], reference: '' }, 'distill.cli_cpu_vs_reference_cpu': { values: [cpu], reference: '' } }, t, 'full', 2);
    expect(rows.map((r) => [r.verdict, r.gated])).toEqual([['over limit (not gated: wall clock)', false], ['REGRESSION', true]]);
    expect(exitCode([rows[0]!], [], true)).toBe(EXIT.ok);
    expect(exitCode(rows, [], true)).toBe(EXIT.regression);
    const within = judge({ 'distill.cli_vs_reference': { values: [wall], reference: '' } }, { noise: 0.3, ratios: { 'distill.cli_vs_reference': { gated: false, baseline: wall } } })[0]!;
    expect(within.verdict).toBe('ok (not gated: wall clock)');
  });

  it("bench/targets.json: the real short runs' CPU ratios are gated against their short baselines and pass", () => {
    const measured = Object.fromEntries([distill, predict, boosterJson].flatMap((j) =>
      Object.entries(ratiosOf(j)).map(([name, v]) => [`${j.bench}.${name}`, { values: [v.value], reference: v.reference }])));
    const rows = judge(measured, targets, 'short');
    const verdict = (key: string) => rows.find((r) => r.key === key)!;
    for (const key of ['distill.cli_cpu_vs_reference_cpu', 'predict.cpu_vs_xgboost_predict', 'booster-threads.train_cpu_vs_xgboost_2t', 'booster-threads.command_cpu_vs_xgboost_2t']) {
      const v = verdict(key);
      expect(v.gated).toBe(true);
      expect(v.limit).toBeCloseTo(targets.short!.ratios[key]!.baseline * (1 + targets.short!.noise!), 12);
      expect(v.verdict).toBe('ok');
    }
    for (const key of ['distill.cli_vs_reference', 'predict.vs_xgboost_predict']) expect(verdict(key).gated).toBe(false);
    // every full-size target that is not gated is a wall-clock ratio of a bench that prints CPU, gated under another name
    for (const [key, t] of Object.entries(targets.ratios)) {
      if (t.gated !== false) continue;
      expect(key).not.toMatch(/cpu|_projected/);
    }
  });
});

describe('the check: median of the runs against baseline × (1 + noise)', () => {
  const m = median(cartValues);
  const measured = { 'cart.fit_vs_sklearn': { values: cartValues, reference: 'scikit-learn DecisionTreeRegressor.fit', loads: [1, 2, 3] } };
  const withBaseline = (baseline: number, noise = 0.3): Targets => ({ noise, ratios: { 'cart.fit_vs_sklearn': { baseline, goal: 0.01 } } });

  it('median of 3 is the middle value, of 2 the mean', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([0.5, 0.25])).toBe(0.375);
    expect(m).toBe([...cartValues].sort((a, b) => a - b)[1]);
    expect(() => median([])).toThrow();
  });

  it('fails just above the limit and passes at it', () => {
    const limitAtMedian = m / 1.3;
    const [fail] = judge(measured, withBaseline(limitAtMedian * 0.999));
    expect(fail!.verdict).toBe('REGRESSION');
    expect(fail!.limit).toBeCloseTo(limitAtMedian * 0.999 * 1.3, 12);
    const [pass] = judge(measured, withBaseline(limitAtMedian * 1.001));
    expect(pass!.verdict).toBe('ok');
    expect(exitCode([fail!], [], true)).toBe(EXIT.regression);
    expect(exitCode([fail!], [], false)).toBe(EXIT.ok); // without --check nothing is gated
    expect(exitCode([pass!], [], true)).toBe(EXIT.ok);
    expect(exitCode([pass!], ['serve (exit 1)'], true)).toBe(EXIT.failed);
  });

  it('claims a goal only from runs on a machine that was not overloaded', () => {
    const goalTargets = { noise: 0.3, ratios: { 'x.y': { baseline: 2, goal: 1.3 } } };
    const at = (loads: number[]) => judge({ 'x.y': { values: [1.04, 0.99, 1.95], reference: '', loads } }, goalTargets, 'full', 2)[0]!.verdict;
    expect(at([1.2, 1.5, 1.9])).toBe('goal met');
    expect(at([16.8, 17.2, 17.6])).toBe('ok (goal not judged at load 17.6)');
    expect(at([])).toBe('ok (goal not judged at load 0.0)');
  });

  it('one slow run out of three does not fail the gate; two do', () => {
    const sorted = [...cartValues].sort((a, b) => a - b);
    const baseline = sorted[2]! / 1.3; // limit = the slowest real run
    const oneSlow = { 'cart.fit_vs_sklearn': { values: [sorted[0]!, sorted[1]!, sorted[2]! * 3], reference: '' } };
    expect(judge(oneSlow, withBaseline(baseline))[0]!.verdict).toBe('ok');
    const twoSlow = { 'cart.fit_vs_sklearn': { values: [sorted[0]!, sorted[1]! * 3, sorted[2]! * 3], reference: '' } };
    expect(judge(twoSlow, withBaseline(baseline))[0]!.verdict).toBe('REGRESSION');
  });

  it("judges the real runs against bench/targets.json's baseline, and short runs only against short baselines", () => {
    const [full] = judge(measured, targets, 'full', 1000);
    expect(full!.baseline).toBe(targets.ratios['cart.fit_vs_sklearn']!.baseline);
    expect(full!.limit).toBeCloseTo(full!.baseline! * (1 + targets.noise), 12);
    expect(full!.verdict).toBe(m > full!.limit! ? 'REGRESSION' : m <= full!.goal! ? 'goal met' : 'ok');
    const [short] = judge(measured, targets, 'short');
    const shortBaseline = targets.short?.ratios['cart.fit_vs_sklearn']?.baseline ?? null;
    expect(short!.baseline).toBe(shortBaseline);
    if (shortBaseline === null) expect(short!.verdict).toBe('no target');
    // a target's own noise overrides the table's (serve's 10 s p99 in short mode)
    const p99 = ratiosOf(lastBenchJson(fixture('serve-30s.txt'))!).p99_vs_node_http!.value;
    const own = targets.short!.ratios['serve.p99_vs_node_http']!;
    expect(own.noise).toBeGreaterThan(targets.short!.noise!);
    const [serve] = judge({ 'serve.p99_vs_node_http': { values: [p99], reference: '' } }, targets, 'short');
    expect(serve!.limit).toBeCloseTo(own.baseline * (1 + own.noise!), 12);
    // …and serve's p99 is a wall-clock latency: judged, never gated (its CPU per request is)
    expect(serve!.verdict).toBe(p99 > serve!.limit! ? 'over limit (not gated: wall clock)' : 'ok (not gated: wall clock)');
    const unknown = judge({ 'cart.other': { values: [9], reference: '' } }, targets);
    expect(unknown[0]!.verdict).toBe('no target');
    expect(exitCode(unknown, [], true)).toBe(EXIT.ok);
  });
});

describe('arguments', () => {
  const available = ['cart', 'features', 'features-duckdb', 'serve', 'serve-alloc'];
  it('--only takes exact names and ratio keys; names select by prefix', () => {
    expect(planRuns(available, parseArgs(['--only', 'serve']))).toEqual([{ bench: 'serve', args: [] }]);
    expect(planRuns(available, parseArgs(['--only', 'features-duckdb.vs_duckdb_1m,cart'])).map((p) => p.bench)).toEqual(['cart', 'features-duckdb']);
    expect(planRuns(available, parseArgs(['features'])).map((p) => p.bench)).toEqual(['features', 'features-duckdb']);
    expect(() => planRuns(available, parseArgs(['--only', 'serv']))).toThrow(/no bench named 'serv'/);
  });
  it('--check runs 3 times unless --runs says otherwise; --readme alone runs nothing', () => {
    expect(parseArgs(['--check']).runs).toBe(3);
    expect(parseArgs([]).runs).toBe(1);
    expect(parseArgs(['--check', '--runs', '5']).runs).toBe(5);
    expect(parseArgs(['--readme']).runBenches).toBe(false);
    expect(parseArgs(['--readme', '--only', 'cart']).runBenches).toBe(true);
    expect(() => parseArgs(['--runs', '0'])).toThrow(BenchUsageError);
    expect(() => parseArgs(['--chek'])).toThrow(/unknown option '--chek'/);
  });
  it('--short runs the benches that have short sizes, with them', () => {
    const plan = planRuns(available, parseArgs(['--short']), targets.short!.args);
    expect(plan.map((p) => p.bench)).toEqual(available.filter((b) => targets.short!.args[b]).sort());
    expect(plan.find((p) => p.bench === 'cart')!.args).toEqual(targets.short!.args.cart);
    expect(() => planRuns(available, parseArgs(['--short', '--only', 'features']), targets.short!.args)).toThrow(/features has no short sizes/);
  });
});

describe('results file and README table', () => {
  const rows = judge({ 'cart.fit_vs_sklearn': { values: cartValues, reference: 'scikit-learn DecisionTreeRegressor.fit', loads: [1.5, 2.25, 3] } }, targets);
  const first = mergeResults(null, rows, { date: '2026-12-07T14:00:00.000Z', mode: 'full', runs: 3, argsOf: () => [] });
  it('keeps ratios a later subset run did not measure', () => {
    const serveRows = judge({ 'serve.p99_vs_node_http': { values: [1.2], reference: 'bare node:http', loads: [4] } }, targets);
    const second = mergeResults(first, serveRows, { date: '2026-12-07T15:00:00.000Z', mode: 'full', runs: 1, argsOf: () => ['--duration', '30'] });
    expect(Object.keys(second.full).sort()).toEqual(['cart.fit_vs_sklearn', 'serve.p99_vs_node_http']);
    expect(second.full['cart.fit_vs_sklearn']).toEqual(first.full['cart.fit_vs_sklearn']);
    expect(second.full['serve.p99_vs_node_http']!.args).toEqual(['--duration', '30']);
  });
  it('rewrites only the part of README.md between the markers', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readmeTable(first, targets);
    expect(table).toContain(`| cart.fit_vs_sklearn | ${m2(median(cartValues))} | scikit-learn DecisionTreeRegressor.fit | 3: `);
    expect(table).toContain('| 2026-12-07 14:00 | 1.5–3.0 | full |');
    // verdicts come from the current targets, not the ones of the run
    const moved = { ...targets, ratios: { ...targets.ratios, 'cart.fit_vs_sklearn': { baseline: median(cartValues) / 2 } } };
    expect(readmeTable(first, moved)).toMatch(/\| full \| [\d.]+ \| – \| REGRESSION \|$/m);
    const out = replaceBetweenMarkers(readme, table);
    const a = readme.indexOf(README_START), b = readme.indexOf(README_END);
    expect(out.slice(0, a)).toBe(readme.slice(0, a));
    expect(out.endsWith(readme.slice(b))).toBe(true);
    expect(replaceBetweenMarkers(out, table)).toBe(out); // regenerating is idempotent
    expect(() => replaceBetweenMarkers('# no markers\n', table)).toThrow(BenchUsageError);
  });
});

function m2(x: number): string {
  return x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}
