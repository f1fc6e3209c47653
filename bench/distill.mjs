#!/usr/bin/env node
// distill benchmark (issue 7 target: 100k sessions × 40 features, depth 5, <= 5 s). Builds a 100k × 40
// sessions.parquet and two teacher boosters (phantom trainBooster, 100 rounds, written as XGBoost JSON),
// then times `phantom distill agent.json sessions.parquet --purchase-model purchase.json` end to end
// (process start, Parquet read, scoring both boosters, teacher, student CART on 80%, held-out fidelity,
// rules, revenue, both files), its stages in-process, the variant that fits the purchase booster itself,
// and, in the same run, an xgboost + scikit-learn reference (bench/reference/distill.py) on the same
// matrix and models (compute only). Usage: npx tsc -p . && node bench/distill.mjs [--rows 100000] [--cols 40]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, printTable } from './measure.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const nRows = arg('rows', 100_000), nCols = arg('cols', 40);
const lib = (p) => import(new URL(`../dist/${p}`, import.meta.url).href);
const { createRng } = await lib('stats/rng.js');
const { trainBooster, toXgboostJson } = await lib('models/gbdt/index.js');
const { writeParquet } = await lib('io/parquet.js');
const { float64Data, recordBatch } = await lib('io/arrow-vectors.js');
const { loadDistillInputs, distill, resolveCoefficients } = await lib('distill/index.js');

// Data: float32-exact features (the last one a price), labels from logistic functions of a few of them.
const rng = createRng(2024);
const names = [...Array.from({ length: nCols - 1 }, (_, j) => `f${j}`), 'avg_price_seen'];
const values = new Float64Array(nRows * nCols);
for (let r = 0; r < nRows; r++) {
  for (let c = 0; c < nCols - 1; c++) values[r * nCols + c] = Math.fround(rng.normal());
  values[r * nCols + nCols - 1] = Math.fround(50 + 450 * rng.next());
}
const x = (r, c) => values[r * nCols + c];
const isAgent = new Float64Array(nRows), purchased = new Float64Array(nRows);
for (let r = 0; r < nRows; r++) {
  const la = 2 * x(r, 0) - 1.5 * x(r, 1) * (x(r, 2) > 0 ? 1 : 0.3) + Math.sin(2 * x(r, 3)) - 0.8;
  isAgent[r] = rng.next() < 1 / (1 + Math.exp(-la)) ? 1 : 0;
  const lp = -1 + 0.8 * x(r, 4) + 0.5 * x(r, 5) * x(r, 6) - 1.2 * isAgent[r];
  purchased[r] = rng.next() < 1 / (1 + Math.exp(-lp)) ? 1 : 0;
}
const X = { nRows, nCols, values, featureNames: names };

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-distill-'));
const at = (f) => join(dir, f);
const column = (c) => Float64Array.from({ length: nRows }, (_, r) => x(r, c));
await writeParquet(at('sessions.parquet'), [recordBatch([
  { name: 'is_agent', data: float64Data(isAgent), nullable: true },
  { name: 'purchased', data: float64Data(purchased), nullable: true },
  ...names.map((name, c) => ({ name, data: float64Data(column(c)), nullable: true })),
])]);
const t0 = performance.now();
for (const [file, y, seed] of [['agent.json', isAgent, 1], ['purchase.json', purchased, 2]]) {
  const { model } = trainBooster(X, y, { n_estimators: 100, max_depth: 6, scale_pos_weight: 1 }, { rng: createRng(seed) });
  writeFileSync(at(file), toXgboostJson(model, null));
}
const setupSeconds = (performance.now() - t0) / 1000;

// 1. the command, end to end, median of 3
const cli = [];
let doc;
for (let k = 0; k < 3; k++) {
  const m = await measure(process.execPath, ['bin/phantom.js', 'distill', at('agent.json'), at('sessions.parquet'), '--purchase-model', at('purchase.json'), '-o', at('rules.json'), '--json', '-q']);
  if (m.code !== 0) throw new Error(m.stderr);
  doc = JSON.parse(m.stdout);
  cli.push(m);
}
cli.sort((a, b) => a.seconds - b.seconds);
const cliMedian = cli[1];

// 2. stages in-process (one run)
const s0 = performance.now();
const inputs = await loadDistillInputs({
  sessions: at('sessions.parquet'), model: at('agent.json'), purchaseModel: at('purchase.json'), targetColumn: null, tiers: false,
  exclude: [], priceColumn: null, coefficients: resolveCoefficients(), purchaseRng: createRng(1),
});
const s1 = performance.now();
const result = distill(inputs.input, { rng: createRng(2) });
const s2 = performance.now();

// 3. without --purchase-model: the purchase booster (200 rounds) is fitted inside distill
const fitted = await measure(process.execPath, ['bin/phantom.js', 'distill', at('agent.json'), at('sessions.parquet'), '-o', at('rules-fit.json'), '-q']);
if (fitted.code !== 0) throw new Error(fitted.stderr);

// 4. reference in the same run
writeFileSync(at('X.f64'), Buffer.from(values.buffer));
writeFileSync(at('names.json'), JSON.stringify(names));
const res = spawnSync('/usr/bin/python3', ['bench/reference/distill.py', dir, String(nRows), String(nCols)], { encoding: 'utf8', maxBuffer: 1 << 26 });
const ref = res.status === 0 ? JSON.parse(res.stdout) : { error: (res.stderr || String(res.error)).trim().split('\n').pop() };
rmSync(dir, { recursive: true, force: true });

const sec = (v) => (v === undefined || v === null ? 'n/a' : v.toFixed(3));
const rows = [
  { run: 'phantom distill CLI, end to end (median of 3)', seconds: sec(cliMedian.seconds), 'peak RSS MB': Math.round(cliMedian.peakRssMb) },
  { run: '  in bench process: read Parquet + score 2 boosters + teacher', seconds: sec((s1 - s0) / 1000), 'peak RSS MB': '–' },
  { run: '  in bench process: distill() (split, CART depth 5, fidelity, rules)', seconds: sec((s2 - s1) / 1000), 'peak RSS MB': '–' },
  { run: 'phantom distill fitting the purchase booster (200 rounds)', seconds: sec(fitted.seconds), 'peak RSS MB': Math.round(fitted.peakRssMb) },
  { run: `reference xgboost ${ref.xgboost ?? ''} + sklearn ${ref.sklearn ?? ''}: teacher`, seconds: sec(ref.times?.teacher), 'peak RSS MB': '–' },
  { run: '  reference: DecisionTreeRegressor fit', seconds: sec(ref.times?.student), 'peak RSS MB': '–' },
  { run: '  reference: fidelity + per-leaf p_agent + export_text', seconds: sec(ref.times?.fidelity_and_rules), 'peak RSS MB': '–' },
  { run: '  reference: compute total (no file reading)', seconds: sec(ref.times?.total), 'peak RSS MB': '–' },
];
printTable(`distill on ${nRows.toLocaleString('en-US')} sessions × ${nCols} features, depth 5, min-samples-leaf 50 (setup: teachers trained in ${setupSeconds.toFixed(1)} s)`, rows);
const inProcess = (s2 - s0) / 1000;
console.log(`target: CLI end to end <= 5 s: ${cliMedian.seconds <= 5 ? 'met' : 'MISSED'} (${cliMedian.seconds.toFixed(2)} s)`);
if (ref.times) console.log(`ratio phantom in-process (incl. Parquet read) / reference compute: ${(inProcess / ref.times.total).toFixed(2)}`);
const cliCpu = cli.map((m) => m.cpuSeconds).sort((a, b) => a - b)[1];
if (ref.times?.total_cpu !== undefined && Number.isFinite(cliCpu)) console.log(`CPU: CLI end to end ${cliCpu.toFixed(2)} s (median of 3, GNU time) / reference compute ${ref.times.total_cpu.toFixed(2)} s = ${(cliCpu / ref.times.total_cpu).toFixed(2)}`);
console.log(`fidelity held out: phantom R² ${doc.fidelity.heldOut.r2.toFixed(4)} (${doc.rules.length} rules), reference R² ${ref.r2?.toFixed(4) ?? 'n/a'} (${ref.leaves ?? 'n/a'} leaves)`);
console.log(JSON.stringify({
  bench: 'distill', rows: nRows, cols: nCols, node: process.version, setupSeconds,
  cliSeconds: cli.map((m) => m.seconds), cliMedianSeconds: cliMedian.seconds, cliPeakRssMb: cliMedian.peakRssMb,
  cliCpuSeconds: cli.map((m) => m.cpuSeconds), cliMedianCpuSeconds: cliCpu,
  loadAndTeacherSeconds: (s1 - s0) / 1000, distillSeconds: (s2 - s1) / 1000, withPurchaseFitSeconds: fitted.seconds,
  reference: ref, phantomR2: doc.fidelity.heldOut.r2, phantomRules: doc.rules.length, inProcessR2: result.fidelity.heldOut.r2,
  targetSeconds: 5, withinTarget: cliMedian.seconds <= 5,
}));
