// Flattened-forest prediction (predict-flat.ts) adds exactly the margins of the tree-by-tree walk
// (addTreeToMargins), bit for bit: on xgboost's own model files (pruned trees included), on phantom's, on
// rows that sit on float32 thresholds or are NaN, for row counts around the 8-row and 128-row blocks, and on
// a tree whose children are not consecutive ids.
import { describe, expect, it } from 'vitest';
import { predictBooster, modelBaseMargin, type BoosterModel } from '../../../src/models/gbdt/model.js';
import { flattenForest, predictForest } from '../../../src/models/gbdt/predict-flat.js';
import { toFloat32Values, type FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { addTreeToMargins, allocTree, ROOT_PARENT } from '../../../src/models/gbdt/tree.js';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { dataset, gbdtConfigs, gbdtGolden, probeMatrix, readGolden } from './fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
function bothWays(model: BoosterModel, X: FeatureMatrix, nRows = X.nRows): { walk: Float32Array; flat: Float32Array } {
  const x32 = toFloat32Values(X, false);
  const walk = new Float32Array(nRows).fill(modelBaseMargin(model));
  const flat = walk.slice();
  for (const t of model.trees) addTreeToMargins(t, x32, nRows, X.nCols, walk);
  predictForest(flattenForest(model.trees), x32, nRows, X.nCols, flat);
  return { walk, flat };
}

function expectSameBits(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  const bad = a.findIndex((v, i) => !Object.is(v, b[i]));
  expect(bad, bad >= 0 ? `row ${bad}: ${a[bad]} vs ${b[bad]}` : '').toBe(-1);
}

describe('flattened forest prediction', () => {
  const models = [
    ...Object.entries<any>(gbdtGolden.xgboost_models).map(([name, g]) => [`xgboost ${name}`, fromXgboostJson(readGolden(g.file)).model, name] as const),
    ...Object.entries<any>(gbdtGolden.phantom_models).map(([name, g]) => [`phantom ${name}`, fromXgboostJson(readGolden(g.file)).model, name] as const),
  ];
  for (const [label, model, config] of models) {
    it(`${label}: the same float32 margins as the tree walk, for every row count 0…140 and all rows`, () => {
      const { X } = dataset(gbdtConfigs.configs[config]!.data, 'all');
      for (const n of [0, 1, 3, 4, 5, 7, 8, 9, 15, 127, 128, 129, 131, 136, 140, X.nRows]) {
        const { walk, flat } = bothWays(model, X, n);
        expectSameBits(flat, walk);
      }
    });
  }

  it('probe rows on float32 thresholds (and a double below) and NaN go the same way; predictBooster uses it', () => {
    const { model } = fromXgboostJson(readGolden(gbdtGolden.probe.model));
    const X = probeMatrix();
    const { walk, flat } = bothWays(model, X);
    expectSameBits(flat, walk);
    expect(X.nRows).toBeGreaterThan(64);
    expect(Array.from(predictBooster(model, X, { outputMargin: true }))).toEqual(Array.from(flat));
  });

  it('follows left/right ids that are not consecutive, and missing values to the default side', () => {
    // root splits f1 < 0.5 (missing right) → node 3 (leaf 1) | node 1, which splits f0 < 2 (missing left) → node 4 (leaf 2) | node 2 (leaf 3)
    const t = allocTree(5);
    t.left.set([3, 4, -1, -1, -1]); t.right.set([1, 2, -1, -1, -1]); t.parent.set([ROOT_PARENT, 0, 1, 0, 1]);
    t.feature.set([1, 0, 0, 0, 0]); t.threshold.set([0.5, 2, 0, 0, 0]); t.defaultLeft.set([0, 1, 0, 0, 0]);
    t.value.set([0, 0, 3, 1, 2]);
    const model: BoosterModel = { objective: 'binary:logitraw', baseScore: 0, scalePosWeight: 1, numFeature: 2, featureNames: [], featureTypes: [], trees: [t, t], splitRule: 'float32 x < threshold', attributes: {} };
    const rows = [[0, 0], [0, 1], [3, 1], [NaN, 1], [0, NaN], [NaN, NaN], [2, 0.5]];
    const X: FeatureMatrix = { nRows: rows.length, nCols: 2, values: Float64Array.from(rows.flat()), featureNames: ['a', 'b'] };
    const { walk, flat } = bothWays(model, X);
    expect(Array.from(flat)).toEqual([2, 4, 6, 4, 4, 4, 6]);
    expectSameBits(flat, walk);
  });
});
