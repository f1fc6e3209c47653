// The learner conformance suite: determinism, lossless save/load, untouched inputs, degenerate
// targets, the eval set's limited role, missing values and hostile inputs.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { trainBooster, type TrainContext } from '../../../src/models/gbdt/booster.js';
import type { FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { predictBooster } from '../../../src/models/gbdt/model.js';
import { countLeaves } from '../../../src/models/gbdt/tree.js';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { createRng } from '../../../src/stats/rng.js';
import { synthetic } from './fixture.js';

const RANDOM = { n_estimators: 25, max_depth: 4, eta: 0.3, subsample: 0.7, colsample_bytree: 0.6, max_bin: 32 };

function fit(X: FeatureMatrix, y: ArrayLike<number>, params: Record<string, unknown>, seed = 1, extra: Partial<TrainContext> = {}) {
  return trainBooster(X, y, params, { rng: createRng(seed), ...extra });
}

describe('trainBooster conformance', () => {
  const { X, y } = synthetic(1500, 8, 11, 0.05);

  it('same seed ⇒ identical model JSON; another seed (with subsampling) ⇒ a different model', () => {
    const a = toXgboostJson(fit(X, y, RANDOM, 7).model, null);
    expect(toXgboostJson(fit(X, y, RANDOM, 7).model, null)).toBe(a);
    expect(toXgboostJson(fit(X, y, RANDOM, 8).model, null)).not.toBe(a);
  });

  it('save → load → predict gives identical scores and an identical file', () => {
    const { model } = fit(X, y, RANDOM);
    const text = toXgboostJson(model, { note: 'meta' });
    const back = fromXgboostJson(text);
    expect(back.phantomMeta).toEqual({ note: 'meta' });
    expect(predictBooster(back.model, X)).toEqual(predictBooster(model, X));
    expect(predictBooster(back.model, X, { outputMargin: true })).toEqual(predictBooster(model, X, { outputMargin: true }));
    expect(toXgboostJson(back.model, back.phantomMeta as object)).toBe(text);
  });

  it('does not modify its inputs', () => {
    const ev = synthetic(400, 8, 12, 0.05);
    const before = { x: X.values.slice(), y: y.slice(), names: [...X.featureNames], ex: ev.X.values.slice(), ey: ev.y.slice() };
    const params = { ...RANDOM };
    const { model } = fit(X, y, params, 1, { evalSet: { X: ev.X, y: ev.y }, earlyStoppingRounds: 5 });
    predictBooster(model, ev.X);
    expect(X.values).toEqual(before.x);
    expect(y).toEqual(before.y);
    expect(X.featureNames).toEqual(before.names);
    expect(ev.X.values).toEqual(before.ex);
    expect(ev.y).toEqual(before.ey);
    expect(params).toEqual(RANDOM);
  });

  it('a constant target gives one-leaf trees (both classes, with subsampling)', () => {
    for (const label of [0, 1]) {
      const { model } = fit(X, new Uint8Array(X.nRows).fill(label), RANDOM);
      expect(model.trees.length).toBe(RANDOM.n_estimators);
      for (const t of model.trees) {
        expect(t.left.length).toBe(1);
        expect(countLeaves(t)).toBe(1);
      }
      const p = predictBooster(model, X);
      expect(label === 1 ? p.every((v) => v > 0.5) : p.every((v) => v < 0.5)).toBe(true);
    }
  });

  it('with lambda = 0 a constant target may split on float32 rounding noise, as xgboost 1.7.4 does, but predicts one value', () => {
    const { model } = fit(X, new Uint8Array(X.nRows).fill(1), { ...RANDOM, lambda: 0 });
    const p = predictBooster(model, X);
    expect(Math.max(...p) - Math.min(...p)).toBeLessThanOrEqual(1e-6);
  });

  it('the eval set influences nothing but the stopping round', () => {
    const ev = synthetic(500, 8, 13, 0.05);
    const params = { ...RANDOM, n_estimators: 200, eta: 0.5 };
    const stopped = fit(X, y, params, 3, { evalSet: { X: ev.X, y: ev.y }, earlyStoppingRounds: 5 });
    expect(stopped.roundsTrained).toBeLessThan(200);
    expect(stopped.roundsTrained).toBe(stopped.bestIteration + 1 + 5);
    expect(stopped.model.trees.length).toBe(stopped.bestIteration + 1);
    expect(stopped.evalAuc![stopped.bestIteration]).toBe(stopped.bestAuc);
    expect(Math.max(...stopped.evalAuc!)).toBe(stopped.bestAuc);
    const plain = fit(X, y, { ...params, n_estimators: stopped.bestIteration + 1 }, 3);
    expect(toXgboostJson(stopped.model, null)).toBe(toXgboostJson(plain.model, null));
  });

  it('deep trees stay bounded by the data: max_depth 30 on 200 rows', () => {
    const small = synthetic(200, 4, 21);
    const { model } = fit(small.X, small.y, { n_estimators: 3, max_depth: 30, min_child_weight: 0, eta: 1 });
    for (const t of model.trees) expect(t.left.length).toBeLessThanOrEqual(2 * 200 - 1);
    expect(model.trees[0]!.left.length).toBeGreaterThan(15);
  });

  it('reports every round to onRound', () => {
    const rounds: number[] = [];
    fit(X, y, { ...RANDOM, n_estimators: 6 }, 1, { onRound: (r) => rounds.push(r.round) });
    expect(rounds).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("scale_pos_weight defaults to 1; 'auto' is n_negative / n_positive of the training labels", () => {
    expect(fit(X, y, { n_estimators: 1 }).params.scale_pos_weight).toBe(1);
    const { params } = fit(X, y, { n_estimators: 1, scale_pos_weight: 'auto' });
    const pos = y.reduce((a, b) => a + b, 0);
    expect(params.scale_pos_weight).toBeCloseTo((y.length - pos) / pos, 12);
    expect(fit(X, new Uint8Array(X.nRows), { n_estimators: 1, scale_pos_weight: 'auto' }).params.scale_pos_weight).toBe(1);
  });
});

describe('missing values', () => {
  // y = 1 exactly when x > 0 or x is missing: the split on x must learn to send NaN right, with the positives
  const n = 600;
  const values = new Float64Array(n);
  const y = new Uint8Array(n);
  const rng = createRng(5);
  for (let i = 0; i < n; i++) {
    const missing = i % 4 === 0;
    values[i] = missing ? NaN : rng.normal();
    y[i] = missing || values[i]! > 0 ? 1 : 0;
  }
  const X: FeatureMatrix = { nRows: n, nCols: 1, values, featureNames: ['x'] };
  const probe = (v: number): FeatureMatrix => ({ nRows: 1, nCols: 1, values: Float64Array.of(v), featureNames: ['x'] });

  it('go the learned default direction at each split', () => {
    const { model } = fit(X, y, { n_estimators: 5, max_depth: 1, eta: 1, scale_pos_weight: 1 });
    const root = model.trees[0]!;
    expect(root.left[0]).toBe(1);
    expect(root.defaultLeft[0]).toBe(0); // positives sit right of the threshold; NaN joins them
    expect(predictBooster(model, probe(NaN))[0]).toBe(predictBooster(model, probe(5))[0]);
    expect(predictBooster(model, probe(-5))[0]).toBeLessThan(0.5);
    // mirror the labels: now NaN must go left with the negatives' side flipped to positives
    const flipped = fit(X, y.map((v, i) => (Number.isNaN(values[i]) ? 1 : 1 - v)), { n_estimators: 5, max_depth: 1, eta: 1, scale_pos_weight: 1 });
    expect(flipped.model.trees[0]!.defaultLeft[0]).toBe(1);
    expect(predictBooster(flipped.model, probe(NaN))[0]).toBe(predictBooster(flipped.model, probe(-5))[0]);
  });

  it('NaN inputs never crash: all-NaN columns and rows, in training and prediction', () => {
    const p = 4, m = 300;
    const v = new Float64Array(m * p);
    const lab = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      lab[i] = i % 2;
      v[i * p] = NaN; // all-NaN feature
      v[i * p + 1] = i % 3 === 0 ? NaN : (i % 2) + 0.1 * (i % 5);
      v[i * p + 2] = i % 7 === 0 ? NaN : i;
      v[i * p + 3] = i < 10 ? NaN : 1; // constant where present
      if (i % 50 === 0) for (let j = 0; j < p; j++) v[i * p + j] = NaN; // all-NaN row
    }
    const M: FeatureMatrix = { nRows: m, nCols: p, values: v, featureNames: ['a', 'b', 'c', 'd'] };
    const { model } = fit(M, lab, { n_estimators: 10, max_depth: 3 });
    for (const t of model.trees) for (let i = 0; i < t.left.length; i++) if (t.left[i] !== -1) expect(t.feature[i]).not.toBe(0);
    const allNaN: FeatureMatrix = { nRows: 3, nCols: p, values: new Float64Array(3 * p).fill(NaN), featureNames: M.featureNames };
    const out = predictBooster(model, allNaN);
    expect(out.every((x) => x > 0 && x < 1)).toBe(true);
    const inf: FeatureMatrix = { ...allNaN, values: Float64Array.of(Infinity, -Infinity, 1e300, -1e300, NaN, 0, 0, 0, 1, 1, 1, 1) };
    expect(predictBooster(model, inf).every(Number.isFinite)).toBe(true);
  });
});

describe('input validation', () => {
  const { X, y } = synthetic(100, 3, 2);

  it('rejects infinite training values, bad labels, shape mismatches and one-class eval sets with UsageError', () => {
    const inf = { ...X, values: X.values.slice() };
    inf.values[5] = Infinity;
    expect(() => fit(inf, y, {})).toThrow(/feature 'f2' row 1 is Infinity/);
    expect(() => fit(X, Array.from(y, (v, i) => (i === 3 ? 2 : v)), {})).toThrow(UsageError);
    expect(() => fit(X, y.subarray(1), {})).toThrow(/99 labels for 100 rows/);
    expect(() => fit({ ...X, featureNames: ['a'] }, y, {})).toThrow(/1 feature names for 3 columns/);
    expect(() => fit(X, y, {}, 1, { evalSet: { X, y: new Uint8Array(100) } })).toThrow(/AUC needs both classes/);
    expect(() => fit(X, y, { max_depth: 0, eta: 'fast', colour: 1 })).toThrow(/max_depth[\s\S]*eta[\s\S]*colour/);
  });

  it('predictBooster checks the feature count and names', () => {
    const { model } = fit(X, y, { n_estimators: 2 });
    expect(() => predictBooster(model, { ...X, featureNames: ['f0', 'f2', 'f1'] })).toThrow(/selectColumns/);
    expect(() => predictBooster(model, { nRows: 1, nCols: 2, values: new Float64Array(2), featureNames: ['f0', 'f1'] })).toThrow(/expects 3 features/);
  });
});
