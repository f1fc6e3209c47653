// The human-safe leaf rule on hand-sized trees (src/distill/human-safe*.ts): which leaves are capped and to
// what, the tier a capped classification leaf moves to, and a refined leaf's subtree grafted in place.
import { describe, expect, it } from 'vitest';
import { capClearHumanLeaves, clearScores, HUMAN_SAFE_DEFAULTS } from '../../src/distill/human-safe.js';
import { humanSafeStudent, refineMixedLeaves } from '../../src/distill/human-safe-refine.js';
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

  it('refine grafts a subtree on the mixed leaf; the student keeps it when it keeps more agent markup', () => {
    const tree = fitRegressionTree(X, y, { maxDepth: 1, minSamplesLeaf: 5 });
    const r = refineMixedLeaves(tree, X, all, y, clear, HUMAN_SAFE_DEFAULTS, { minSamplesLeaf: 5 }, {});
    expect(r.refined).toBe(1);
    expect(Array.from(predictTree(r.tree, X))).toEqual([1, 1, 1, 1, 1, 1, 1.4, 1.4, 1.4, 1.4]);
    expect(Array.from(predictTree(tree, X))[9]).toBeCloseTo(1.32, 12); // the original is not touched
    const pAgent = Float64Array.from(clear);
    const safe = humanSafeStudent({ tree, X, train: all, y, clear, pAgent, tiers: null, options: HUMAN_SAFE_DEFAULTS, params: { minSamplesLeaf: 5 }, ctx: {} });
    expect(safe.outcome.choice).toBe('refine-markup');
    expect(safe.outcome.cappedLeaves).toEqual([]);
    expect(safe.outcome.candidates.cap.expectedAgentMarkup).toBeCloseTo(5 * 0.3 * 1 + 0.05 * 1.02 + 4 * 0.9 * 1.02, 12);
    expect(safe.outcome.candidates['refine-markup']!.expectedAgentMarkup).toBeCloseTo(5 * 0.3 * 1 + 0.05 * 1 + 4 * 0.9 * 1.4, 12);
    expect(Array.from(safe.fittedStudentMarkup)[9]).toBeCloseTo(1.32, 12);
    // split by clear vs not (Gini): the same split here, with each new leaf's mean markup
    const byClear = refineMixedLeaves(tree, X, all, y, clear, HUMAN_SAFE_DEFAULTS, { minSamplesLeaf: 5 }, {}, 'clear');
    expect(Array.from(predictTree(byClear.tree, X))).toEqual([1, 1, 1, 1, 1, 1, 1.4, 1.4, 1.4, 1.4]);
    expect(byClear.tree.kind).toBe('regression');
  });
});
