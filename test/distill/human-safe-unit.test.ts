// The human-safe rules on hand-sized trees (src/distill/human-safe*.ts): which leaves are capped and to what, the
// tier a capped classification leaf moves to, a guarded subtree (grown on clear vs not, priced, pruned) grafted in
// place of a mixed rule.
import { describe, expect, it } from 'vitest';
import { capClearHumanLeaves, clearScores, HUMAN_SAFE_DEFAULTS } from '../../src/distill/human-safe.js';
import { guardedStudent, guardedSubtree, guardLeaves } from '../../src/distill/human-safe-guard.js';
import { fitClassificationTree, fitRegressionTree, predictTree, type DenseMatrix } from '../../src/models/cart/index.js';

const X: DenseMatrix = { nRows: 10, nCols: 1, values: Float64Array.from({ length: 10 }, (_, i) => i), featureNames: ['x'] };
const all = Int32Array.from({ length: 10 }, (_, i) => i);
// rows 0–4 cheap, 5–9 dear; row 5 alone is a clear human
const y = Float64Array.of(1, 1, 1, 1, 1, 1.0, 1.4, 1.4, 1.4, 1.4);
const clear = Float64Array.from({ length: 10 }, (_, i) => (i === 5 ? 0.05 : i < 5 ? 0.3 : 0.9));

describe('human-safe leaf rule', () => {
  it('clear = the lower of raw and calibrated p (NaN ignored)', () => {
    expect(Array.from(clearScores(Float64Array.of(0.2, NaN, 0.05), Float64Array.of(0.05, 0.3, 0.4)))).toEqual([0.05, 0.3, 0.05]);
  });

  it('caps a leaf a clear session reaches to the bound, leaves the others alone', () => {
    const tree = fitRegressionTree(X, y, { maxDepth: 1, minSamplesLeaf: 5 });
    const out = capClearHumanLeaves(tree, X, clear, null, HUMAN_SAFE_DEFAULTS);
    expect(out.cappedLeaves).toEqual([{ leaf: 2, from: (1 + 4 * 1.4) / 5, to: 1.02, clearSessions: 1, sessions: 5 }]);
    expect(Array.from(predictTree(tree, X))).toEqual([1, 1, 1, 1, 1, 1.02, 1.02, 1.02, 1.02, 1.02]);
    expect(out).toMatchObject({ clearSessions: 1, repricedSessions: 5, maxClearMarkup: 1.02 });
  });

  it('tiers: a capped leaf moves to the dearest tier at or under the bound, else the cheapest', () => {
    const classes = Int32Array.of(0, 0, 0, 0, 0, 2, 2, 2, 2, 2);
    const tiers = [{ minScore: -Infinity, markup: 1 }, { minScore: 0.4, markup: 1.1 }, { minScore: 0.7, markup: 1.3 }];
    const t1 = fitClassificationTree(X, classes, { maxDepth: 1, minSamplesLeaf: 5 }, {}, 3);
    capClearHumanLeaves(t1, X, clear, tiers, HUMAN_SAFE_DEFAULTS);
    expect(Array.from(predictTree(t1, X))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const dear = [{ minScore: -Infinity, markup: 1.05 }, { minScore: 0.4, markup: 1.1 }, { minScore: 0.7, markup: 1.3 }];
    const t2 = fitClassificationTree(X, classes, { maxDepth: 1, minSamplesLeaf: 5 }, {}, 3);
    const out = capClearHumanLeaves(t2, X, clear, dear, HUMAN_SAFE_DEFAULTS);
    expect(out.cappedLeaves[0]).toMatchObject({ from: 1.3, to: 1.05 });
  });

  it('a guarded subtree separates the clear human and prices every leaf; pruning merges splits that buy less than minGain', () => {
    const isClear = Int32Array.from(clear, (p) => (p < 0.1 ? 1 : 0));
    const kept = guardedSubtree(X, y, isClear, 1.02, 0, {});
    expect(Array.from(predictTree(kept.tree, X))).toEqual([1, 1, 1, 1, 1, 1, 1.4, 1.4, 1.4, 1.4]);
    expect(kept.capped).toEqual([]); // the clear human's own leaf is at 1.0, under the bound
    // minGain 1: (5..9) buys 4·0.38² + 0.02² = 0.578 < 1, then the root 0.002: one leaf, priced at the bound
    const pruned = guardedSubtree(X, y, isClear, 1.02, 1, {});
    expect(pruned.tree.nodeCount).toBe(1);
    expect(pruned.tree.value[0]).toBe(1.02);
    expect(pruned.capped.map((c) => c.leaf)).toEqual([0]);
    expect(pruned.capped[0]!.from).toBeCloseTo(1.16, 12);
  });

  it('guardLeaves grows only the rule a clear human reaches above the bound; guardedStudent reports before and after', () => {
    const tree = fitRegressionTree(X, y, { maxDepth: 1, minSamplesLeaf: 5 });
    const isClear = Uint8Array.from(clear, (p) => (p < 0.1 ? 1 : 0));
    const g = guardLeaves(tree, X, all, y, isClear, HUMAN_SAFE_DEFAULTS, 0, {});
    expect(g.guarded).toEqual([2]);
    expect(Array.from(predictTree(g.tree, X))).toEqual([1, 1, 1, 1, 1, 1, 1.4, 1.4, 1.4, 1.4]);
    expect(Array.from(predictTree(tree, X))[9]).toBeCloseTo(1.32, 12); // the original is not touched
    expect(g.newLeaves.map((l) => g.tree.left[l])).toEqual([-1, -1]);
    const safe = guardedStudent({ tree, X, train: Int32Array.of(0, 1, 2, 3, 4, 5, 6, 7), test: Int32Array.of(8, 9), y, clearScore: clear, options: HUMAN_SAFE_DEFAULTS, ctx: {} });
    expect(safe.outcome).toMatchObject({ method: 'guard', clearSessions: 1, maxClearMarkup: 1, guardedRules: { training: 1, table: 0 } });
    expect(safe.outcome.heldOutCheck).toMatchObject({ clearSessions: 0, overBound: 0, maxClearMarkup: null });
    expect(safe.outcome.unguarded).toMatchObject({ rules: 2, clearOverBound: 1 });
    expect(safe.outcome.unguarded.maxClearMarkup).toBeCloseTo(1.32, 12);
    expect(Array.from(safe.fittedStudentMarkup)[9]).toBeCloseTo(1.32, 12);
  });
});
