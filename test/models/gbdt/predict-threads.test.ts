// Batch prediction on two threads (predict-threads.ts) gives predictForest's float32 margins bit for bit:
// an xgboost model's trees repeated to 120 and its rows tiled (with NaNs) to 40,000, so the batch is above the
// two-thread threshold and both threads take blocks; and predictBooster's probabilities on it equal the
// tree-by-tree walk's. Needs dist/ (the helper runs the compiled predict-worker.js), as every worker test.
import { describe, expect, it } from 'vitest';
import { modelBaseMargin, predictBooster } from '../../../src/models/gbdt/model.js';
import { flattenForest, predictForest } from '../../../src/models/gbdt/predict-flat.js';
import { predictForestShared, predictHelperOnline, SHARED_MIN_WALKS } from '../../../src/models/gbdt/predict-threads.js';
import { toFloat32Values, type FeatureMatrix } from '../../../src/models/gbdt/matrix.js';
import { addTreeToMargins } from '../../../src/models/gbdt/tree.js';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { dataset, gbdtConfigs, gbdtGolden, readGolden } from './fixture.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('two-thread batch prediction', () => {
  const [name, g] = Object.entries<any>(gbdtGolden.xgboost_models)[0]!;
  const base = fromXgboostJson(readGolden(g.file)).model;
  const model = { ...base, trees: Array.from({ length: 120 }, (_, k) => base.trees[k % base.trees.length]!) };
  const { X: small } = dataset(gbdtConfigs.configs[name]!.data, 'all');
  const nRows = 40_000;
  const values = new Float64Array(nRows * small.nCols);
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < small.nCols; c++) {
      values[r * small.nCols + c] = (r * 7 + c) % 97 === 0 ? NaN : small.values[(r % small.nRows) * small.nCols + c]! * (1 + (r % 5) * 0.25);
    }
  }
  const X: FeatureMatrix = { nRows, nCols: small.nCols, values, featureNames: small.featureNames };

  it('the same margins as one thread, with the helper scoring some of the blocks', async () => {
    expect(nRows * model.trees.length).toBeGreaterThanOrEqual(SHARED_MIN_WALKS);
    const x32 = toFloat32Values(X, false), forest = flattenForest(model.trees);
    const one = new Float32Array(nRows).fill(modelBaseMargin(model));
    predictForest(forest, x32, nRows, X.nCols, one);
    let helperRows = 0;
    for (let attempt = 0; attempt < 4 && helperRows === 0; attempt++) { // the first call starts the helper
      const two = new Float32Array(nRows).fill(modelBaseMargin(model));
      helperRows = predictForestShared(forest, x32, nRows, X.nCols, two);
      const bad = two.findIndex((v, i) => !Object.is(v, one[i]));
      expect(bad, bad >= 0 ? `row ${bad}: ${two[bad]} vs ${one[bad]}` : '').toBe(-1);
      expect(await predictHelperOnline()).toBe(true);
    }
    expect(helperRows).toBeGreaterThan(0);
    expect(helperRows).toBeLessThan(nRows);
  });

  it('predictBooster on the batch equals the tree-by-tree walk', () => {
    const x32 = toFloat32Values(X, false);
    const walk = new Float32Array(nRows).fill(modelBaseMargin(model));
    for (const t of model.trees) addTreeToMargins(t, x32, nRows, X.nCols, walk);
    expect(Array.from(predictBooster(model, X, { outputMargin: true }))).toEqual(Array.from(walk));
  });
});
