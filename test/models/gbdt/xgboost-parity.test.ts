// Golden tests against xgboost 1.7.4 (test/oracles/gbdt.py): interop of the JSON format in both directions,
// tree-for-tree equality of training, and AUC parity on sklearn's breast-cancer data.
import { describe, expect, it } from 'vitest';
import { featureImportance, IMPORTANCE_TYPES } from '../../../src/models/gbdt/importance.js';
import { predictBooster } from '../../../src/models/gbdt/model.js';
import { trainBooster } from '../../../src/models/gbdt/booster.js';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { toXgboostJson } from '../../../src/models/gbdt/xgboost-json-write.js';
import { rocAuc } from '../../../src/stats/roc.js';
import { createRng } from '../../../src/stats/rng.js';
import { dataset, gbdtConfigs, gbdtGolden, probeMatrix, readGolden } from './fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const PRED_TOL = 1e-6; // docs/classifier.md: xgboost's predictions to 1e-6
const AUC_TOL = 0.01; // |ΔAUC| allowed where randomness (subsample/colsample) differs from xgboost's RNG

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function expectImportanceClose(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const k of Object.keys(expected)) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[k]!)));
}

describe(`phantom's model files loaded by xgboost ${gbdtGolden.versions.xgboost}`, () => {
  for (const [name, g] of Object.entries<any>(gbdtGolden.phantom_models)) {
    it(`${name}: xgboost.Booster loads it and predicts what phantom predicts (≤ ${PRED_TOL})`, () => {
      const { model, phantomMeta } = fromXgboostJson(readGolden(g.file));
      expect(phantomMeta).toMatchObject({ config: name });
      expect(model.trees.length).toBe(g.num_trees);
      const { X } = dataset(gbdtConfigs.configs[name]!.data, 'all');
      expect(maxAbsDiff(predictBooster(model, X), g.predictions)).toBeLessThanOrEqual(PRED_TOL);
      expect(maxAbsDiff(predictBooster(model, X, { outputMargin: true }), g.margins)).toBeLessThanOrEqual(PRED_TOL);
      for (const t of IMPORTANCE_TYPES) expectImportanceClose(featureImportance(model, t), g.importance[t]);
      expect(g.attributes.best_ntree_limit).toBe(String(model.trees.length));
    });
  }

  it('rows sitting exactly on (and a double below) float32 thresholds, and NaN, go where xgboost sends them', () => {
    const { model } = fromXgboostJson(readGolden(gbdtGolden.probe.model));
    const X = probeMatrix();
    expect(X.nRows).toBeGreaterThan(300);
    expect(maxAbsDiff(predictBooster(model, X), gbdtGolden.probe.predictions)).toBeLessThanOrEqual(PRED_TOL);
  });
});

describe('models trained by xgboost 1.7.4 read by phantom', () => {
  for (const [name, g] of Object.entries<any>(gbdtGolden.xgboost_models)) {
    it(`${name}: predictions and get_score importances match`, () => {
      const { model, phantomMeta } = fromXgboostJson(readGolden(g.file));
      expect(phantomMeta).toBeNull();
      const { X } = dataset(gbdtConfigs.configs[name]!.data, 'all');
      expect(maxAbsDiff(predictBooster(model, X), g.predictions)).toBeLessThanOrEqual(PRED_TOL);
      expect(maxAbsDiff(predictBooster(model, X, { outputMargin: true }), g.margins)).toBeLessThanOrEqual(PRED_TOL);
      for (const t of IMPORTANCE_TYPES) expectImportanceClose(featureImportance(model, t), g.importance[t]);
    });

    it(`${name}: written back, the file is byte-identical to what xgboost saved`, () => {
      const text = readGolden(g.file);
      const { model, phantomMeta } = fromXgboostJson(text);
      expect(toXgboostJson(model, phantomMeta as object | null)).toBe(text);
    });
  }
});

describe('training parity with xgboost 1.7.4 hist on the same split', () => {
  for (const [name, cfg] of Object.entries(gbdtConfigs.configs)) {
    const deterministic = cfg.params.subsample === 1 && cfg.params.colsample_bytree === 1;
    it(`${name}: test AUC within ${deterministic ? 'float rounding' : AUC_TOL} of xgboost's`, () => {
      const train = dataset(cfg.data, 'train');
      const test = dataset(cfg.data, 'test');
      const { model } = trainBooster(train.X, train.y, cfg.params, { rng: createRng(gbdtConfigs.seed) });
      const auc = rocAuc(test.y, predictBooster(model, test.X));
      const ref = gbdtGolden.xgboost_trained[name].test_auc as number;
      expect(Math.abs(auc - ref)).toBeLessThanOrEqual(deterministic ? 1e-12 : AUC_TOL);
      expect(auc).toBeGreaterThan(0.9);
    });
  }

  for (const name of Object.keys(gbdtGolden.xgboost_models)) {
    it(`${name}: every tree equals xgboost's (structure, float32 thresholds, default directions, leaves)`, () => {
      const cfg = gbdtConfigs.configs[name]!;
      const train = dataset(cfg.data, 'train');
      const ours = trainBooster(train.X, train.y, cfg.params, { rng: createRng(gbdtConfigs.seed) }).model;
      const ref = fromXgboostJson(readGolden(gbdtGolden.xgboost_models[name].file)).model;
      expect(ours.trees.length).toBe(ref.trees.length);
      let defaultLeftSplits = 0;
      ours.trees.forEach((t, ti) => {
        const r = ref.trees[ti]!;
        expect(Array.from(t.left), `tree ${ti} left`).toEqual(Array.from(r.left));
        expect(Array.from(t.feature), `tree ${ti} features`).toEqual(Array.from(r.feature));
        expect(Array.from(t.threshold), `tree ${ti} thresholds`).toEqual(Array.from(r.threshold));
        expect(Array.from(t.defaultLeft), `tree ${ti} default_left`).toEqual(Array.from(r.defaultLeft));
        expect(maxAbsDiff(t.value, r.value), `tree ${ti} leaves`).toBeLessThanOrEqual(1e-6);
        expect(maxAbsDiff(t.baseWeight, r.baseWeight), `tree ${ti} base weights`).toBeLessThanOrEqual(1e-6);
        for (let i = 0; i < t.left.length; i++) {
          expect(Math.abs(t.lossChange[i]! - r.lossChange[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, r.lossChange[i]!));
          expect(Math.abs(t.sumHessian[i]! - r.sumHessian[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, r.sumHessian[i]!));
        }
        defaultLeftSplits += t.defaultLeft.reduce((a, b) => a + b, 0);
      });
      if (cfg.data === 'missing') expect(defaultLeftSplits).toBeGreaterThan(0);
    });
  }
});
