/**
 * One row through a booster, for the price path: predictBooster's arithmetic (float32 features, float32
 * margin from the model's base margin, every tree's leaf added in tree order, then sigmoid32 unless the
 * objective is logitraw) without its per-call work — the matrix and feature-name checks (done once, when the
 * scorer is built: live-scoring.ts checks the names), the float32 copy and the margin and output arrays
 * (kept here and overwritten). The trees are flattened once (predict-flat.ts's layout: a node's split, child
 * and threshold in one place, so a step touches one cache line, not five typed arrays) and walked with
 * branches, stopping at the leaf (the batch walk's fixed-depth, branch-free steps pay off only when eight
 * rows walk side by side). Same bits as predictBooster:
 * test/serve/live-features.test.ts compares the probabilities with Object.is.
 */
import type { BoosterModel } from '../models/gbdt/index.js';
import { sigmoid32 } from '../models/gbdt/logistic.js';
import { modelBaseMargin } from '../models/gbdt/model.js';
import { flattenForest } from '../models/gbdt/predict-flat.js';

/**
 * A predictor of one row of `model.numFeature` values (not shared across concurrent callers: it is synchronous).
 * @example const p = rowBooster(model); p(encodedRow) // probability, as predictBooster(model, X)[0]
 */
export function rowBooster(model: BoosterModel): (values: Float64Array) => number {
  const nCols = model.numFeature, trees = model.trees;
  const x32 = new Float32Array(nCols), margin = new Float32Array(1);
  const base = modelBaseMargin(model), raw = model.objective === 'binary:logitraw';
  const { nodes, values: nodeValues, roots } = flattenForest(trees);
  return (values) => {
    x32.set(values);
    margin[0] = base;
    for (let t = 0; t < roots.length; t++) {
      let o = roots[t]!;
      for (;;) {
        const left = nodes[o + 1]!;
        if (left === o) break;
        const x = x32[nodes[o]! >> 1]!;
        o = x !== x ? ((nodes[o]! & 1) === 1 ? left : left + 4) : x < nodeValues[o + 2]! ? left : left + 4;
      }
      margin[0]! += nodeValues[o + 3]!;
    }
    return raw ? margin[0]! : sigmoid32(margin[0]!);
  };
}
