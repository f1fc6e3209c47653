#!/usr/bin/env node
// Booster on two threads, measured by CPU time (the shared 2-core machine makes wall clock noise): the data
// and parameters of bench/classifier.mjs (100k rows × 40 features × 200 rounds, hist, depth 6, eta 0.05,
// max_bin 256), against xgboost 1.7.4 hist in the same run with OMP_WAIT_POLICY=passive (so a waiting
// OpenMP thread sleeps instead of spinning, and its CPU time is work).
// Rows: per thread CPU seconds (phantom: the main thread and the rest of the process; xgboost: every
// thread), process CPU, wall, and the projection for two idle cores = the busiest thread's CPU (the
// critical path: the other thread's work overlaps it). Also the whole `train-classifier --cv 0` command
// (GNU time, CPU of all threads) against xgboost's DMatrix + train CPU.
// Usage: npx tsc -p . && node bench/booster-threads.mjs [--rows 100000] [--cols 40] [--rounds 200] [--repeat 3]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { classifierData, numArg } from './lib/classifier-data.mjs';
import { measure, printTable } from './measure.mjs';

const arg = numArg;
const nRows = arg('rows', 100_000), nCols = arg('cols', 40), rounds = arg('rounds', 200), repeat = arg('repeat', 3);
const root = resolve(new URL('..', import.meta.url).pathname);
const lib = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
const { trainBooster } = await lib('models/gbdt/index.js');
const { createRng } = await lib('stats/rng.js');
const { writeParquet } = await lib('io/parquet.js');
const { boolData, float64Data, recordBatch } = await lib('io/arrow-vectors.js');

/** The rows of bench/lib/classifier-data.mjs (same seeds in every classifier bench). */
const data = (n, seed) => classifierData(createRng, n, nCols, seed);

const TICK = 100; // USER_HZ: /proc stat times are in 1/100 s
/** CPU seconds (user + system) of one thread of this process. */
function threadCpu(tid) {
  const s = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
const processCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

const train = data(nRows, 2024);
const positives = train.y.reduce((a, b) => a + b, 0);
const spw = (nRows - positives) / positives;
const params = { n_estimators: rounds, eta: 0.05, max_depth: 6, max_bin: 256, min_child_weight: 1, lambda: 1, base_score: 0.5 };

/** One in-process fit: main-thread CPU, the rest of the process (helpers, GC), wall. */
function phantomFit(threads) {
  const m0 = threadCpu(process.pid), p0 = processCpu(), w0 = performance.now();
  trainBooster(train.X, train.y, params, { rng: createRng(1), threads });
  const main = threadCpu(process.pid) - m0, proc = processCpu() - p0;
  return { main, others: proc - main, proc, wall: (performance.now() - w0) / 1000, projected: Math.max(main, proc - main) };
}

const dir = mkdtempSync(join(tmpdir(), 'booster-threads-bench-'));
/** One native xgboost fit per thread count: every thread's CPU, process CPU, wall (DMatrix separately). */
function xgboostFit(threads) {
  const py = `
import json, os, sys, time
import numpy as np, xgboost as xgb
def threads():
    out = {}
    for t in os.listdir('/proc/self/task'):
        f = open('/proc/self/task/%s/stat' % t).read(); f = f[f.rindex(')') + 2:].split(' ')
        out[t] = (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')
    return out
d = sys.argv[1]
X = np.fromfile(d + '/X.f64', dtype='<f8').reshape(${nRows}, ${nCols}); y = np.fromfile(d + '/y.u8', dtype=np.uint8)
p0 = time.process_time(); t = time.perf_counter(); dm = xgb.DMatrix(X, label=y, missing=np.nan, nthread=${threads})
dmatrix = {'wall': time.perf_counter() - t, 'proc': time.process_time() - p0}
params = {'objective': 'binary:logistic', 'tree_method': 'hist', 'max_depth': 6, 'eta': 0.05, 'max_bin': 256,
          'min_child_weight': 1, 'lambda': 1, 'base_score': 0.5, 'scale_pos_weight': ${spw}, 'nthread': ${threads}}
before = threads(); p0 = time.process_time(); t = time.perf_counter()
b = xgb.train(params, dm, num_boost_round=${rounds})
wall = time.perf_counter() - t; proc = time.process_time() - p0; after = threads()
per = sorted((after[k] - before.get(k, 0) for k in after), reverse=True)
print(json.dumps({'version': xgb.__version__, 'dmatrix': dmatrix, 'wall': wall, 'proc': proc, 'threads': per[:${threads}]}))
`;
  const res = spawnSync('/usr/bin/python3', ['-c', py, dir], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_WAIT_POLICY: 'passive' } });
  if (res.status !== 0) throw new Error(`xgboost failed: ${(res.stderr || String(res.error)).trim().split('\n').pop()}`);
  const r = JSON.parse(res.stdout);
  return { ...r, projected: r.threads[0] };
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[s.length >> 1]; };
/** The run whose projection is the median (its per-thread split is shown). */
const medianRun = (list) => [...list].sort((a, b) => a.projected - b.projected)[list.length >> 1];
const rows = [];
let result;
try {
  writeFileSync(join(dir, 'X.f64'), Buffer.from(train.X.values.buffer));
  writeFileSync(join(dir, 'y.u8'), Buffer.from(train.y.buffer));
  const load0 = loadavg();
  const runs = { p1: [], p2: [], x1: [], x2: [] };
  for (let k = 0; k < repeat; k++) { // interleaved, so a load swing hits both sides
    runs.p2.push(phantomFit(2)); runs.x2.push(xgboostFit(2));
    runs.p1.push(phantomFit(1)); runs.x1.push(xgboostFit(1));
  }
  const cols = train.X.featureNames.map((name, j) => ({ name, nullable: true, data: float64Data(Float64Array.from({ length: nRows }, (_, r) => train.X.values[r * nCols + j])) }));
  cols.push({ name: 'is_agent', nullable: false, data: boolData(Int8Array.from(train.y)) });
  await writeParquet(join(dir, 'data.parquet'), [recordBatch(cols)]);
  const paramFlags = Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
  const cli = [];
  for (let k = 0; k < repeat; k++) {
    const run = await measure(process.execPath, [join(root, 'bin/phantom.js'), 'train-classifier', join(dir, 'data.parquet'), '--cv', '0', '--workers', '2', ...paramFlags, '-o', join(dir, 'model.json'), '--quiet']);
    if (run.code !== 0) throw new Error(`phantom train-classifier failed: ${run.stderr}`);
    cli.push(run);
  }
  const load1 = loadavg();
  const m = (list, key) => median(list.map((r) => r[key]));
  const s = (v) => v.toFixed(2);
  const x2 = m(runs.x2, 'projected'), x2dm = median(runs.x2.map((r) => r.dmatrix.proc));
  for (const [name, list, ref] of [['phantom trainBooster, threads: 2', runs.p2, x2], ['phantom trainBooster, threads: 1', runs.p1, x2]]) {
    rows.push({ run: name, 'busiest thread CPU s (projected wall)': s(m(list, 'projected')), 'main / other threads CPU s': `${s(m(list, 'main'))} / ${s(m(list, 'others'))}`, 'process CPU s': s(m(list, 'proc')), 'wall s': s(m(list, 'wall')), 'vs xgboost 2 threads (projected)': `${(m(list, 'projected') / ref).toFixed(2)}×` });
  }
  for (const [name, list] of [['xgboost hist, nthread 2', runs.x2], ['xgboost hist, nthread 1', runs.x1]]) {
    rows.push({ run: `${name} (${runs.x2[0].version})`, 'busiest thread CPU s (projected wall)': s(m(list, 'projected')), 'main / other threads CPU s': list[0].threads.length > 1 ? medianRun(list).threads.map(s).join(' / ') : '', 'process CPU s': s(m(list, 'proc')), 'wall s': s(m(list, 'wall')), 'vs xgboost 2 threads (projected)': `${(m(list, 'projected') / x2).toFixed(2)}×` });
  }
  const cliCpu = median(cli.map((r) => r.cpuSeconds)), cliWall = median(cli.map((r) => r.seconds));
  const xgCpu = m(runs.x2, 'proc') + x2dm;
  rows.push({ run: 'phantom train-classifier --cv 0 --workers 2 (whole command)', 'busiest thread CPU s (projected wall)': '', 'main / other threads CPU s': '', 'process CPU s': s(cliCpu), 'wall s': s(cliWall), 'vs xgboost 2 threads (projected)': `${(cliCpu / xgCpu).toFixed(2)}× CPU vs DMatrix + train` });
  rows.push({ run: 'xgboost DMatrix + train, nthread 2', 'busiest thread CPU s (projected wall)': '', 'main / other threads CPU s': '', 'process CPU s': s(xgCpu), 'wall s': s(m(runs.x2, 'wall') + median(runs.x2.map((r) => r.dmatrix.wall))), 'vs xgboost 2 threads (projected)': '' });
  result = { bench: 'booster-threads', rows: nRows, cols: nCols, rounds, repeat, loadavg: { start: load0, end: load1 }, runs, cli: cli.map((r) => ({ seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb })) };
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(`booster threads: ${nRows.toLocaleString('en-US')} rows × ${nCols} features × ${rounds} rounds, median of ${repeat}; load average ${result.loadavg.start.map((v) => v.toFixed(1)).join(' ')} → ${result.loadavg.end.map((v) => v.toFixed(1)).join(' ')}`, rows);
console.log(JSON.stringify(result));
