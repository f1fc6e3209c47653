#!/usr/bin/env node
// Batch prediction benchmark (issue #21 goal 2): one xgboost 1.7.4 model (hist, depth 6, 200 rounds, trained by
// python on 100k × 40 rows of bench/classifier.mjs's kind) scores 100k fresh rows, in xgboost
// (Booster.predict, nthread 2, DMatrix built separately) and in phantom (fromXgboostJson + predictBooster, two
// threads for large batches: predict-threads.ts; process CPU of both is recorded too) in the same run; phantom's tree-by-tree walk (addTreeToMargins, the loop before predict-flat.ts) runs
// too, and every margin of the flattened path must equal it bit for bit. Best of --repeat runs each, interleaved.
// Usage: npx tsc -p . && node bench/predict.mjs [--rows 100000] [--cols 40] [--rounds 200] [--repeat 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifierData, numArg } from './lib/classifier-data.mjs';
import { printTable } from './measure.mjs';

const arg = numArg;
const nRows = arg('rows', 100_000), nCols = arg('cols', 40), rounds = arg('rounds', 200), repeat = arg('repeat', 3);
const root = resolve(new URL('..', import.meta.url).pathname);
const lib = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { fromXgboostJson, predictBooster } = await lib('models/gbdt/index.js');
const { modelBaseMargin } = await lib('models/gbdt/model.js');
const { toFloat32Values } = await lib('models/gbdt/matrix.js');
const { addTreeToMargins } = await lib('models/gbdt/tree.js');
const { createRng } = await lib('stats/rng.js');

/** The rows of bench/lib/classifier-data.mjs (same seeds in every classifier bench). */
const data = (n, seed) => classifierData(createRng, n, nCols, seed);

const train = data(nRows, 2024), test = data(nRows, 7);
const dir = mkdtempSync(join(tmpdir(), 'predict-bench-'));
const py = (script, args) => {
  const res = spawnSync('/usr/bin/python3', ['-c', script, dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`python: ${(res.stderr || String(res.error)).trim().split('\n').pop()}`);
  return res.stdout;
};
const load = `
import json, sys, time
import numpy as np, xgboost as xgb
d = sys.argv[1]
X = np.fromfile(d + '/X.f64', dtype='<f8').reshape(${nRows}, ${nCols}); y = np.fromfile(d + '/y.u8', dtype=np.uint8)
Xt = np.fromfile(d + '/Xt.f64', dtype='<f8').reshape(${nRows}, ${nCols})
`;
let rows, result;
try {
  writeFileSync(join(dir, 'X.f64'), Buffer.from(train.X.values.buffer));
  writeFileSync(join(dir, 'y.u8'), Buffer.from(train.y.buffer));
  writeFileSync(join(dir, 'Xt.f64'), Buffer.from(test.X.values.buffer));
  py(`${load}
b = xgb.train({'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.05, 'max_bin': 256, 'base_score': 0.5, 'nthread': 2},
              xgb.DMatrix(X, label=y, missing=np.nan), num_boost_round=${rounds})
b.save_model(d + '/model.json')
`, []);
  const { model } = fromXgboostJson(readFileSync(join(dir, 'model.json'), 'utf8'));
  const xgbRun = () => JSON.parse(py(`${load}
b = xgb.Booster(model_file=d + '/model.json'); b.set_param({'nthread': 2})
t = time.perf_counter(); dm = xgb.DMatrix(Xt, missing=np.nan, nthread=2); dmatrix = time.perf_counter() - t
t = time.perf_counter(); c = time.process_time(); m = b.predict(dm, output_margin=True); predict = time.perf_counter() - t; predict_cpu = time.process_time() - c
m.astype('<f4').tofile(d + '/xgb-margins.f32')
print(json.dumps({'xgboost': xgb.__version__, 'dmatrix': dmatrix, 'predict': predict, 'predict_cpu': predict_cpu}))
`, []));
  const walk = () => {
    const x32 = toFloat32Values(test.X, false);
    const margins = new Float32Array(nRows).fill(modelBaseMargin(model));
    for (const t of model.trees) addTreeToMargins(t, x32, nRows, nCols, margins);
    return margins;
  };
  // the main thread's CPU alone (/proc, 10 ms ticks): with the helper thread, the critical path on two idle cores
  const mainCpu = () => {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  const time = (f) => {
    const t = performance.now(), c = process.cpuUsage(), m = mainCpu();
    const v = f();
    const u = process.cpuUsage(c);
    return { seconds: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6, mainCpu: mainCpu() - m, v };
  };
  const flatRuns = [], flatCpu = [], flatMainCpu = [], walkRuns = [], walkCpu = [], xgRuns = [];
  let flat, walked;
  for (let k = 0; k < repeat; k++) {
    const a = time(() => predictBooster(model, test.X, { outputMargin: true })); flatRuns.push(a.seconds); flatCpu.push(a.cpu); flatMainCpu.push(a.mainCpu); flat = a.v;
    const b = time(walk); walkRuns.push(b.seconds); walkCpu.push(b.cpu); walked = b.v;
    xgRuns.push(xgbRun());
  }
  let mismatches = 0;
  for (let i = 0; i < nRows; i++) if (!Object.is(Math.fround(flat[i]), walked[i])) mismatches++;
  const xm = new Float32Array(readFileSync(join(dir, 'xgb-margins.f32')).buffer.slice(0));
  let maxDiff = 0;
  for (let i = 0; i < nRows; i++) maxDiff = Math.max(maxDiff, Math.abs(xm[i] - flat[i]));
  const best = (a) => Math.min(...a);
  const xp = best(xgRuns.map((r) => r.predict)), xd = best(xgRuns.map((r) => r.dmatrix));
  const r3 = (v) => v.toFixed(3);
  rows = [
    { run: `phantom predictBooster, flattened trees (2 threads for large batches, best of ${repeat})`, seconds: r3(best(flatRuns)), 'vs xgboost predict': `${(best(flatRuns) / xp).toFixed(2)}×`, 'vs DMatrix + predict': `${(best(flatRuns) / (xp + xd)).toFixed(2)}×` },
    { run: `phantom tree-by-tree walk (before; best of ${repeat})`, seconds: r3(best(walkRuns)), 'vs xgboost predict': `${(best(walkRuns) / xp).toFixed(2)}×`, 'vs DMatrix + predict': `${(best(walkRuns) / (xp + xd)).toFixed(2)}×` },
    { run: `xgboost ${xgRuns[0].xgboost} Booster.predict, 2 threads`, seconds: r3(xp), 'vs xgboost predict': '1×', 'vs DMatrix + predict': '' },
    { run: `xgboost ${xgRuns[0].xgboost} DMatrix, 2 threads`, seconds: r3(xd), 'vs xgboost predict': '', 'vs DMatrix + predict': '' },
  ];
  result = {
    bench: 'predict', rows: nRows, cols: nCols, trees: model.trees.length, node: process.version,
    phantomFlatRuns: flatRuns, phantomFlatCpu: flatCpu, phantomFlatMainThreadCpu: flatMainCpu, phantomWalkCpu: walkCpu, xgboostPredictCpu: xgRuns.map((r) => r.predict_cpu), phantomWalkRuns: walkRuns, xgboost: xgRuns, bitIdenticalToWalk: mismatches === 0, maxAbsMarginDiffVsXgboost: maxDiff,
    ratioVsXgboostPredict: best(flatRuns) / xp, ratioVsXgboostDMatrixPredict: best(flatRuns) / (xp + xd),
    ratios: { vs_xgboost_predict: { value: best(flatRuns) / xp, reference: 'xgboost Booster.predict, 2 threads, same model and rows' } },
  };
  if (mismatches > 0) throw new Error(`${mismatches} margins differ between the flattened and the tree-by-tree walk`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(`batch prediction: ${nRows.toLocaleString('en-US')} rows × ${nCols} features, ${rounds} trees of depth 6`, rows);
console.log(JSON.stringify(result));
