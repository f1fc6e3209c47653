#!/usr/bin/env node
// CART benchmark (issue 7): fit a regression tree on 100k rows × 40 features, depth 5, min_samples_leaf 50,
// and time scikit-learn's DecisionTreeRegressor on the same data in the same run (ratio, not absolute).
// Usage: npx tsc -p . && node bench/cart.mjs [--rows 100000] [--cols 40] [--repeat 3]
// CART_DIST=/path/to/dist overrides where the compiled library is imported from.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const nRows = arg('rows', 100_000), nCols = arg('cols', 40), repeat = arg('repeat', 3);
const params = { maxDepth: 5, minSamplesLeaf: 50 };
const dist = resolve(process.env.CART_DIST ?? new URL('../dist', import.meta.url).pathname);
const { fitRegressionTree, predictTree } = await import(pathToFileURL(join(dist, 'models/cart/index.js')).href);
const { createRng } = await import(pathToFileURL(join(dist, 'stats/rng.js')).href);

// Data: float32-exact normals (scikit-learn fits on float32), a nonlinear target over a few columns, no missing
// values (scikit-learn 1.2 refuses NaN).
const rng = createRng(2024);
const values = new Float64Array(nRows * nCols);
for (let i = 0; i < values.length; i++) values[i] = Math.fround(rng.normal());
const y = new Float64Array(nRows);
for (let r = 0; r < nRows; r++) {
  const x = (c) => values[r * nCols + c];
  y[r] = Math.sin(2 * x(0)) + x(1) * (x(2) > 0 ? 1 : 0) + 0.5 * x(3) * x(3) + 0.3 * x(7) + 0.4 * rng.normal();
}
const X = { nRows, nCols, values, featureNames: Array.from({ length: nCols }, (_, j) => `f${j}`) };

const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const ours = [];
let tree;
for (let k = 0; k < repeat; k++) {
  const t0 = performance.now();
  tree = fitRegressionTree(X, y, params, { rng: createRng(1) });
  ours.push((performance.now() - t0) / 1000);
}
const t0 = performance.now();
predictTree(tree, X);
const predictSeconds = (performance.now() - t0) / 1000;

const dir = mkdtempSync(join(tmpdir(), 'cart-bench-'));
let sk = { error: 'not run' };
try {
  writeFileSync(join(dir, 'X.f64'), Buffer.from(values.buffer));
  writeFileSync(join(dir, 'y.f64'), Buffer.from(y.buffer));
  const py = `
import json, sys, time
import numpy as np, sklearn
from sklearn.tree import DecisionTreeRegressor
X = np.fromfile(sys.argv[1] + '/X.f64', dtype='<f8').reshape(${nRows}, ${nCols}).astype(np.float32)
y = np.fromfile(sys.argv[1] + '/y.f64', dtype='<f8')
times = []
for _ in range(${repeat}):
    t = time.perf_counter()
    m = DecisionTreeRegressor(max_depth=${params.maxDepth}, min_samples_leaf=${params.minSamplesLeaf}, random_state=0).fit(X, y)
    times.append(time.perf_counter() - t)
print(json.dumps({'sklearn': sklearn.__version__, 'times': times, 'feature': m.tree_.feature.tolist(),
                  'threshold': m.tree_.threshold.tolist(), 'value': m.tree_.value[:, 0, 0].tolist()}))
`;
  const res = spawnSync('/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  sk = res.status === 0 ? JSON.parse(res.stdout) : { error: (res.stderr || String(res.error)).trim().split('\n').pop() };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const oursSec = median(ours);
const skSec = sk.times ? median(sk.times) : NaN;
const sameTree = sk.feature !== undefined && sk.feature.length === tree.nodeCount
  && sk.feature.every((f, i) => (f < 0 ? tree.feature[i] === -1 : f === tree.feature[i] && sk.threshold[i] === tree.threshold[i]))
  && sk.value.every((v, i) => Math.abs(v - tree.value[i]) <= 1e-9);
const result = {
  bench: 'cart', rows: nRows, cols: nCols, params, repeat, node: process.version,
  phantomFitSeconds: oursSec, phantomFitRuns: ours, phantomPredictSeconds: predictSeconds, nodes: tree.nodeCount,
  sklearnVersion: sk.sklearn ?? null, sklearnFitSeconds: Number.isNaN(skSec) ? null : skSec,
  ratioPhantomOverSklearn: Number.isNaN(skSec) ? null : oursSec / skSec, sameTreeAsSklearn: sameTree,
  targetSeconds: 5, withinTarget: oursSec <= 5, ...(sk.error ? { sklearnError: sk.error } : {}),
};

const rowsOut = [
  ['phantom fitRegressionTree', `${oursSec.toFixed(3)} s`],
  [`sklearn ${sk.sklearn ?? '(unavailable)'} DecisionTreeRegressor`, Number.isNaN(skSec) ? 'n/a' : `${skSec.toFixed(3)} s`],
  ['ratio phantom / sklearn', result.ratioPhantomOverSklearn === null ? 'n/a' : result.ratioPhantomOverSklearn.toFixed(2)],
  ['phantom predictTree (100k rows)', `${predictSeconds.toFixed(3)} s`],
  ['same splits/thresholds/leaves as sklearn', String(sameTree)],
  ['target: fit <= 5 s', result.withinTarget ? 'met' : 'MISSED'],
];
const w = Math.max(...rowsOut.map((r) => r[0].length));
console.log(`CART ${nRows} × ${nCols}, maxDepth ${params.maxDepth}, minSamplesLeaf ${params.minSamplesLeaf}, median of ${repeat}`);
for (const [k, v] of rowsOut) console.log(`  ${k.padEnd(w)}  ${v}`);
console.log(JSON.stringify(result));
