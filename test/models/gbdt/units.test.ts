// Unit tests beside the ideas: parameters, quantile cuts and bins, the split gain, the file format's
// number style and its reader's error reporting, importance, column selection.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { binMatrix, computeCuts } from '../../../src/models/gbdt/binning.js';
import { trainBooster } from '../../../src/models/gbdt/booster.js';
import { featureImportance } from '../../../src/models/gbdt/importance.js';
import { formatFloat32, formatParamFloat } from '../../../src/models/gbdt/json-writer.js';
import { selectColumns } from '../../../src/models/gbdt/matrix.js';
import { DEFAULTS, resolveParams } from '../../../src/models/gbdt/params.js';
import { bestSplit, leafWeight, nodeGain } from '../../../src/models/gbdt/split-eval.js';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { createRng } from '../../../src/stats/rng.js';
import { readGolden, synthetic } from './fixture.js';

describe('resolveParams', () => {
  it('starts from the study defaults (docs/classifier.md)', () => {
    const p = resolveParams();
    expect(p).toEqual(DEFAULTS);
    expect([p.n_estimators, p.max_depth, p.eta, p.early_stopping_rounds, p.scale_pos_weight]).toEqual([200, 6, 0.05, 20, 1]); // scale_pos_weight 1 as xgboost: weighting shifts probabilities
  });

  it('accepts xgboost aliases and numeric strings from a command line', () => {
    const p = resolveParams({ learning_rate: '0.1', reg_lambda: 2, reg_alpha: '0.5', min_split_loss: 1, num_boost_round: '50', scale_pos_weight: '3' });
    expect([p.eta, p.lambda, p.alpha, p.gamma, p.n_estimators, p.scale_pos_weight]).toEqual([0.1, 2, 0.5, 1, 50, 3]);
  });

  it('reports every problem in one UsageError', () => {
    try {
      resolveParams({ max_depth: 2.5, subsample: 0, eta: 'x', bogus: 1, tree_method: 'exact' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      const m = (e as Error).message;
      for (const s of ['max_depth', 'subsample', 'eta', "unknown parameter 'bogus'", "only 'hist'"]) expect(m).toContain(s);
    }
  });
});

describe('quantile cuts and bins', () => {
  it('with few distinct values, every distinct value but the smallest is a cut, plus a sentinel', () => {
    const v = Float32Array.of(3, 1, 2, 2, NaN, 3, 1);
    const cuts = computeCuts(v, 7, 1, 256);
    expect(Array.from(cuts.cutValues)).toEqual([2, 3, Math.fround(3 + Math.fround(3 + Math.fround(1e-5)))]);
    expect(cuts.minValues[0]).toBe(Math.fround(-1e-5));
    // bins: value 1 → 0, 2 → 1, 3 → 2, NaN → the missing slot (cutPtr[1] + 0 = 3)
    expect(Array.from(binMatrix(v, 7, 1, cuts))).toEqual([2, 0, 1, 1, 3, 2, 0]);
  });

  it('keeps at most max_bin bins per feature, increasing, covering every value', () => {
    const { X } = synthetic(5000, 3, 4, 0.1);
    const v = Float32Array.from(X.values);
    for (const maxBin of [2, 16, 256]) {
      const cuts = computeCuts(v, 5000, 3, maxBin);
      const bins = binMatrix(v, 5000, 3, cuts);
      for (let f = 0; f < 3; f++) {
        const c = cuts.cutValues.subarray(cuts.cutPtr[f]!, cuts.cutPtr[f + 1]!);
        expect(c.length).toBeLessThanOrEqual(maxBin);
        for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThan(c[i - 1]!);
        for (let r = 0; r < 5000; r++) {
          const x = v[r * 3 + f]!, slot = bins[r * 3 + f]! - cuts.cutPtr[f]! - f;
          if (Number.isNaN(x)) { expect(slot).toBe(c.length); continue; }
          expect(x < c[slot]! || slot === c.length - 1).toBe(true);
          if (slot > 0) expect(x >= c[slot - 1]!).toBe(true);
        }
      }
    }
  });

  it('an all-missing column gets one bin and never splits', () => {
    const cuts = computeCuts(Float32Array.of(NaN, NaN), 2, 1, 256);
    expect(cuts.cutPtr[1]).toBe(1);
  });
});

describe('split gain', () => {
  const p = { lambda: 1, alpha: 0, minChildWeight: 1, maxDeltaStep: 0 };

  it('matches the closed form G²/(H+λ), the L1 soft threshold and max_delta_step', () => {
    expect(nodeGain(4, 3, p)).toBe(Math.fround(16 / 4));
    expect(leafWeight(4, 3, p)).toBe(-1);
    expect(nodeGain(4, 3, { ...p, alpha: 1 })).toBe(Math.fround(9 / 4));
    expect(leafWeight(-4, 3, { ...p, alpha: 1 })).toBe(Math.fround(3 / 4));
    expect(leafWeight(4, 3, { ...p, maxDeltaStep: 0.5 })).toBe(-0.5);
    expect(leafWeight(4, 0.5, p)).toBe(0); // below min_child_weight
  });

  it('finds the best threshold and learns where missing values go', () => {
    // one feature, bins 0..2 (cuts 1, 2, 3) + missing slot 3; gradients: bin 0 negative, bins 1-2 and missing positive
    const cuts = { cutPtr: Int32Array.of(0, 3), cutValues: Float32Array.of(1, 2, 3), minValues: Float32Array.of(-1) };
    const hist = Float64Array.of(-4, 2, 3, 2, 3, 2, 5, 2); // (g, h) per slot
    const G = -4 + 3 + 3 + 5, H = 8;
    const s = bestSplit(hist, G, H, Int32Array.of(0), cuts, Uint8Array.of(1), p)!;
    expect([s.splitBin, s.threshold, s.defaultLeft]).toEqual([0, 1, false]);
    const expected = Math.fround(Math.fround(Math.fround(16 / 3) + Math.fround(121 / 7)) - Math.fround(49 / 9));
    expect(s.loss).toBe(expected);
    expect([s.gradLeft, s.hessLeft, s.gradRight, s.hessRight]).toEqual([-4, 2, 11, 6]);
    // the missing mass now sides with bin 0: backward scan wins, missing go left
    const flipped = Float64Array.of(-4, 2, 3, 2, 3, 2, -5, 2);
    const t = bestSplit(flipped, -3, 8, Int32Array.of(0), cuts, Uint8Array.of(1), p)!;
    expect([t.splitBin, t.threshold, t.defaultLeft]).toEqual([0, 1, true]);
    expect([t.gradLeft, t.hessLeft]).toEqual([-9, 4]);
  });

  it('returns null when no split reduces the loss', () => {
    const cuts = { cutPtr: Int32Array.of(0, 2), cutValues: Float32Array.of(1, 2), minValues: Float32Array.of(-1) };
    expect(bestSplit(Float64Array.of(1, 2, 1, 2, 0, 0), 2, 4, Int32Array.of(0), cuts, Uint8Array.of(0), p)).toBeNull();
  });
});

describe('XGBoost JSON number style and reader', () => {
  it('prints float32 values the way xgboost 1.7 does', () => {
    const cases: Array<[number, string]> = [[0.5061082, '5.061082E-1'], [0, '0E0'], [-0.075, '-7.5E-2'], [142.25, '1.4225E2'], [3, '3E0'], [308.99765, '3.0899765E2'], [0.5, '5E-1']];
    for (const [v, s] of cases) expect(formatFloat32(v)).toBe(s);
    expect(formatParamFloat(1.6891)).toBe('1.68910003');
    expect(formatParamFloat(1)).toBe('1');
    expect(formatParamFloat(1e-5)).toBe('9.99999975e-06');
  });

  const text = readGolden('gbdt-xgboost/depth4.json');
  const mutate = (f: (d: any) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const d = JSON.parse(text);
    f(d);
    return JSON.stringify(d);
  };

  it('lists every problem of an unusable file', () => {
    const bad = mutate((d) => {
      d.learner.objective.name = 'reg:squarederror';
      delete d.learner.attributes;
      d.learner.gradient_booster.model.trees[0].split_type[0] = 1;
      d.learner.gradient_booster.model.trees[1].left_children[0] = 99;
    });
    expect(() => fromXgboostJson(bad)).toThrow(UsageError);
    try { fromXgboostJson(bad); } catch (e) {
      const m = (e as Error).message;
      for (const s of ["'reg:squarederror'", 'learner.attributes', 'tree 0: categorical', 'tree 1: node 0 has an invalid child 99']) expect(m).toContain(s);
    }
    expect(() => fromXgboostJson('{not json')).toThrow(/not JSON/);
  });

  it('reads numbers given as JSON numbers and 2.x bracketed base_score', () => {
    const { model } = fromXgboostJson(mutate((d) => { d.learner.learner_model_param.base_score = '[4E-1]'; d.learner.learner_model_param.num_feature = 30; }));
    expect(model.baseScore).toBeCloseTo(0.4, 7);
    expect(model.numFeature).toBe(30);
  });

  it('refuses to write children that are not consecutive pairs', () => {
    const { model } = fromXgboostJson(text);
    const t = model.trees[0]!;
    t.right[0] = t.left[0]! + 2;
    expect(() => toXgboostJson(model, null)).toThrow(/consecutive pair/);
  });
});

describe('featureImportance and selectColumns', () => {
  const { X, y } = synthetic(800, 5, 9);
  const { model } = trainBooster(X, y, { n_estimators: 10, max_depth: 3 }, { rng: createRng(1) });

  it('relates the importance types as xgboost defines them', () => {
    const w = featureImportance(model, 'weight'), g = featureImportance(model, 'gain'), tg = featureImportance(model, 'total_gain');
    const c = featureImportance(model, 'cover'), tc = featureImportance(model, 'total_cover');
    let splits = 0;
    for (const t of model.trees) for (let i = 0; i < t.left.length; i++) if (t.left[i] !== -1) splits++;
    expect(Object.values(w).reduce((a, b) => a + b, 0)).toBe(splits);
    for (const k of Object.keys(w)) {
      expect(g[k]!).toBeCloseTo(tg[k]! / w[k]!, 3);
      expect(c[k]!).toBeCloseTo(tc[k]! / w[k]!, 3);
    }
    expect(Object.keys(w)).toContain('f0'); // informative features are used
  });

  it('selectColumns reorders by name and names what is missing', () => {
    const s = selectColumns(X, ['f2', 'f0']);
    expect(s.featureNames).toEqual(['f2', 'f0']);
    expect([s.values[0], s.values[1]]).toEqual([X.values[2], X.values[0]]);
    expect(() => selectColumns(X, ['f0', 'zz', 'yy'])).toThrow(/zz, yy/);
  });
});
