import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { fitClassificationTree, fitRegressionTree } from '../../../src/models/cart/fit.js';
import { applyTree, predictProba, predictTree } from '../../../src/models/cart/predict.js';
import { treeFromJson, treeToJson } from '../../../src/models/cart/serialize.js';
import type { CartTree, DenseMatrix } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';
import { randomMatrix, smoothTarget } from './data.js';

function depthOf(tree: CartTree, node = 0): number {
  return tree.left[node] === -1 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]!), depthOf(tree, tree.right[node]!));
}

const X = randomMatrix(500, 6, 21, 0.1);
const y = smoothTarget(X, 22);
const yClass = Int32Array.from(y, (v) => (v > 0.4 ? 1 : 0));

describe('CART learner conformance', () => {
  it('same seed gives identical model JSON; save → load → predict is identical', () => {
    for (const fit of [
      (s: number) => fitRegressionTree(X, y, { maxDepth: 5, minSamplesLeaf: 5 }, { rng: createRng(s) }),
      (s: number) => fitClassificationTree(X, yClass, { maxDepth: 5, minSamplesLeaf: 5 }, { rng: createRng(s) }),
    ]) {
      const a = fit(7), b = fit(7);
      const json = JSON.stringify(treeToJson(a));
      expect(JSON.stringify(treeToJson(b))).toBe(json);
      const loaded = treeFromJson(JSON.parse(json));
      expect(predictTree(loaded, X)).toEqual(predictTree(a, X));
      expect(JSON.stringify(treeToJson(loaded))).toBe(json);
      if (a.kind === 'classification') expect(predictProba(loaded, X)).toEqual(predictProba(a, X));
    }
  });

  it('does not mutate its inputs', () => {
    const values = X.values.slice(), ys = y.slice(), w = Float64Array.from({ length: X.nRows }, (_, i) => 1 + (i % 3));
    const wCopy = w.slice();
    fitRegressionTree(X, y, { maxDepth: 4 }, { rng: createRng(1), sampleWeight: w });
    expect(X.values).toEqual(values);
    expect(y).toEqual(ys);
    expect(w).toEqual(wCopy);
  });

  it('a constant target gives one leaf', () => {
    const tree = fitRegressionTree(X, new Float64Array(X.nRows).fill(0.1), { maxDepth: 5 });
    expect(tree.nodeCount).toBe(1);
    expect(tree.value[0]).toBeCloseTo(0.1, 12);
    expect(fitClassificationTree(X, new Int32Array(X.nRows).fill(1), {}).nodeCount).toBe(1);
  });

  it('respects maxDepth, minSamplesLeaf, minSamplesSplit and minImpurityDecrease', () => {
    const t = fitRegressionTree(X, y, { maxDepth: 3, minSamplesLeaf: 40 }, { rng: createRng(3) });
    expect(depthOf(t)).toBeLessThanOrEqual(3);
    for (let i = 0; i < t.nodeCount; i++) expect(t.nSamples[i]).toBeGreaterThanOrEqual(40);
    const split = fitRegressionTree(X, y, { minSamplesSplit: 120 }, { rng: createRng(3) });
    for (let i = 0; i < split.nodeCount; i++) if (split.left[i] !== -1) expect(split.nSamples[i]).toBeGreaterThanOrEqual(120);
    const full = fitRegressionTree(X, y, { maxDepth: 8 }, { rng: createRng(3) });
    const pruned = fitRegressionTree(X, y, { maxDepth: 8, minImpurityDecrease: 0.01 }, { rng: createRng(3) });
    expect(pruned.nodeCount).toBeLessThan(full.nodeCount);
    // Every split of the pruned tree improves the root-weighted impurity by at least the threshold.
    for (let i = 0; i < pruned.nodeCount; i++) {
      if (pruned.left[i] === -1) continue;
      const l = pruned.left[i]!, r = pruned.right[i]!;
      const gain = pruned.impurity[i]! * pruned.weightedSamples[i]! - pruned.impurity[l]! * pruned.weightedSamples[l]!
        - pruned.impurity[r]! * pruned.weightedSamples[r]!;
      expect(gain / pruned.weightedSamples[0]!).toBeGreaterThanOrEqual(0.01 - 1e-12);
    }
    expect(fitRegressionTree(X, y, { maxDepth: 0 }).nodeCount).toBe(1);
  });

  it('routes training rows (with missing values) exactly as the node counts say', () => {
    const tree = fitRegressionTree(X, y, { maxDepth: 6, minSamplesLeaf: 3 }, { rng: createRng(5) });
    const counts = new Int32Array(tree.nodeCount);
    for (const leaf of applyTree(tree, X)) counts[leaf]!++;
    for (let i = 0; i < tree.nodeCount; i++) if (tree.left[i] === -1) expect(counts[i]).toBe(tree.nSamples[i]);
    // Internal nodes: children partition the parent.
    for (let i = 0; i < tree.nodeCount; i++) {
      if (tree.left[i] !== -1) expect(tree.nSamples[tree.left[i]!]! + tree.nSamples[tree.right[i]!]!).toBe(tree.nSamples[i]);
    }
  });

  it('an integer weight equals repeating the row', () => {
    const small = randomMatrix(80, 3, 31);
    const ys = smoothTarget(small, 32);
    const w = Float64Array.from({ length: 80 }, (_, i) => 1 + (i % 3));
    const rowsRep: number[] = [];
    w.forEach((k, r) => { for (let j = 0; j < k; j++) rowsRep.push(r); });
    const rep: DenseMatrix = {
      ...small, nRows: rowsRep.length,
      values: Float64Array.from(rowsRep.flatMap((r) => Array.from(small.values.subarray(r * 3, r * 3 + 3)))),
    };
    const a = fitRegressionTree(small, ys, { maxDepth: 3 }, { sampleWeight: w });
    const b = fitRegressionTree(rep, Float64Array.from(rowsRep, (r) => ys[r]!), { maxDepth: 3 });
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
    a.value.forEach((v, i) => expect(v).toBeCloseTo(b.value[i]!, 12));
    expect(Array.from(a.weightedSamples)).toEqual(Array.from(b.nSamples));
  });
});

describe('input checks', () => {
  it('lists every bad parameter at once', () => {
    expect(() => fitRegressionTree(X, y, { maxDepth: -1, minSamplesLeaf: 0, minSamplesSplit: 1, minImpurityDecrease: NaN }))
      .toThrow(/maxDepth.*minSamplesLeaf.*minSamplesSplit.*minImpurityDecrease/);
  });
  it('refuses infinite features, bad targets, weights and shapes with a UsageError', () => {
    const inf = { ...X, values: X.values.slice() };
    inf.values[13] = Infinity;
    expect(() => fitRegressionTree(inf, y)).toThrow(/infinite value in column "x1" at row 2/);
    const yNaN = y.slice(); yNaN[4] = NaN;
    expect(() => fitRegressionTree(X, yNaN)).toThrow(/target is not finite at row 4/);
    expect(() => fitRegressionTree(X, y.subarray(1))).toThrow(UsageError);
    expect(() => fitRegressionTree(X, y, {}, { sampleWeight: new Float64Array(X.nRows) })).toThrow(/sums to 0/);
    expect(() => fitClassificationTree(X, Int32Array.from(yClass, (v) => v - 1))).toThrow(/class labels must be >= 0/);
    expect(() => fitClassificationTree(X, yClass, {}, {}, 1)).toThrow(/nClasses/);
    const tree = fitRegressionTree(X, y, { maxDepth: 1 });
    expect(() => predictTree(tree, randomMatrix(3, 2, 1))).toThrow(/expects 6 features/);
    expect(() => predictProba(tree, X)).toThrow(/classification/);
  });
  it('treeFromJson names every problem', () => {
    const json = treeToJson(fitRegressionTree(X, y, { maxDepth: 2 }));
    expect(() => treeFromJson({ ...json, format: 'x', nClasses: -1 })).toThrow(/format.*nClasses|nClasses.*format/);
    const broken = structuredClone(json);
    broken.nodes.left[0] = 0;
    expect(() => treeFromJson(broken)).toThrow(/node 0: children/);
    const short = structuredClone(json);
    short.nodes.value.pop();
    expect(() => treeFromJson(short)).toThrow(/nodes.value has/);
  });
});
