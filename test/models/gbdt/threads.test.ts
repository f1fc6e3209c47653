// Histograms on two threads (histogram-threads.ts): the threads split the columns and every slot sums its
// rows in the same order, so the model file is the one-thread model's, byte for byte.
import { describe, expect, it } from 'vitest';
import { trainBooster } from '../../../src/models/gbdt/booster.js';
import { transposeBins } from '../../../src/models/gbdt/binning.js';
import { accumulateByColumn, accumulateByRow, buildHistogram, buildHistogramColumns, nodeRows } from '../../../src/models/gbdt/histogram.js';
import { columnRanges, histogramBuilder } from '../../../src/models/gbdt/histogram-threads.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { createRng } from '../../../src/stats/rng.js';
import { synthetic } from './fixture.js';

describe('trainBooster threads', () => {
  // 12,000 rows × 12 features: the root and the large nodes are shared between threads, small ones are not
  const { X, y } = synthetic(12_000, 12, 5, 0.05);
  const params = { n_estimators: 12, max_depth: 5, eta: 0.3, subsample: 0.8, colsample_bytree: 0.75, max_bin: 64 };
  const fit = (threads: number) => toXgboostJson(trainBooster(X, y, params, { rng: createRng(3), threads }).model, null);

  it('starts its helper threads (the test would prove nothing on one thread)', () => {
    const bins = new Uint16Array(100 * 12);
    const cuts = { cutPtr: new Int32Array(13), cutValues: new Float32Array(0), minValues: new Float32Array(12) };
    const gain = { lambda: 1, alpha: 0, minChildWeight: 1, maxDeltaStep: 0 };
    const hb = histogramBuilder({ bins, binsByColumn: bins, nRows: 100, nCols: 12 }, { cuts, hasMissing: new Uint8Array(12), gain }, 3);
    try {
      expect(hb.threads).toBe(3);
    } finally {
      hb.close();
    }
  });

  it('gives the same model file on 1, 2 and 3 threads', () => {
    const one = fit(1);
    expect(fit(2)).toBe(one);
    expect(fit(3)).toBe(one);
  });

  it('column ranges cover every column once, on multiples of four inside', () => {
    for (const [n, parts] of [[40, 2], [12, 3], [9, 2], [4, 2], [41, 3]] as const) {
      const b = columnRanges(n, parts);
      expect(b[0]).toBe(0);
      expect(b[parts]).toBe(n);
      for (let p = 1; p <= parts; p++) expect(b[p]!).toBeGreaterThanOrEqual(b[p - 1]!);
      for (let p = 1; p < parts; p++) expect(b[p]! % 4 === 0 || b[p] === n).toBe(true);
    }
  });

  it('histograms built by column ranges equal the whole-row histogram bit for bit', () => {
    const rng = createRng(9);
    const nRows = 500, nCols = 7, slots = nCols * 10;
    const bins = Uint16Array.from({ length: nRows * nCols }, (_, i) => (i % nCols) * 10 + rng.int(10));
    const rows = Int32Array.from({ length: nRows }, (_, i) => (i * 7) % nRows);
    const grad = Float64Array.from({ length: nRows }, () => rng.normal()), hess = Float64Array.from({ length: nRows }, () => rng.next());
    const whole = new Float64Array(2 * slots), parts = new Float64Array(2 * slots);
    buildHistogram(bins, nCols, rows, 20, 480, grad, hess, whole);
    buildHistogramColumns(bins, nCols, 0, 4, rows, 20, 480, grad, hess, parts);
    buildHistogramColumns(bins, nCols, 4, 7, rows, 20, 480, grad, hess, parts);
    expect(Array.from(parts)).toEqual(Array.from(whole));
  });

  it('the row-major and column-major kernels over node-ordered rows give the whole-row histogram bit for bit, rows with g = h = 0 skipped', () => {
    const rng = createRng(11);
    const nRows = 600, nCols = 9, slots = nCols * 10;
    const bins = Uint16Array.from({ length: nRows * nCols }, (_, i) => (i % nCols) * 10 + rng.int(10));
    const byColumn = transposeBins(bins, nRows, nCols);
    const rows = Int32Array.from({ length: nRows }, (_, i) => i).filter((i) => i % 3 !== 1);
    const grad = Float64Array.from({ length: nRows }, (_, i) => (i % 5 === 0 ? 0 : rng.normal()));
    const hess = Float64Array.from({ length: nRows }, (_, i) => (i % 5 === 0 ? 0 : rng.next()));
    const whole = new Float64Array(2 * slots);
    buildHistogram(bins, nCols, rows, 10, rows.length - 10, grad, hess, whole);
    const node = nodeRows(rows.length);
    node.rows.set(rows);
    rows.forEach((r, k) => { node.grad[k] = grad[r]!; node.hess[k] = hess[r]!; });
    const byRow = new Float64Array(2 * slots), byCol = new Float64Array(2 * slots);
    accumulateByRow(bins, nCols, 0, 4, node, 10, rows.length - 10, byRow);
    accumulateByRow(bins, nCols, 4, nCols, node, 10, rows.length - 10, byRow);
    accumulateByColumn(byColumn, nRows, 0, 8, node, 10, rows.length - 10, byCol); // two passes of four columns
    accumulateByColumn(byColumn, nRows, 8, nCols, node, 10, rows.length - 10, byCol); // the one-column remainder
    expect(Array.from(byRow)).toEqual(Array.from(whole));
    expect(Array.from(byCol)).toEqual(Array.from(whole));
  });
});
