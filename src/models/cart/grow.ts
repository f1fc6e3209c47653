/**
 * Depth-first tree growth, with scikit-learn's DepthFirstTreeBuilder stopping rules and node order:
 * a node is a leaf when depth >= maxDepth, n < minSamplesSplit, n < 2·minSamplesLeaf, impurity <= ε,
 * no valid split exists, or the best split's improvement (gain / root weight) + ε < minImpurityDecrease.
 * Features are scanned in a fresh seeded permutation per node (identity without an RNG); the first
 * best split wins, so exact gain ties are broken by that order, then by the lowest threshold.
 */
import { emptyCandidate, type Criterion } from './criterion.js';
import { createNodeStore, type NodeArrays } from './node-store.js';
import { partitionColumns, presortColumns } from './sorted-columns.js';
import type { CartParams, DenseMatrix } from './types.js';

/** numpy's float64 epsilon, which scikit-learn's builder uses in its leaf tests. */
const EPSILON = 2.220446049250313e-16;

/**
 * Grow a tree on X with the given criterion (which holds the target and weights); returns the node arrays.
 * @example growTree(X, squaredErrorCriterion(y, w), resolveCartParams({ maxDepth: 3 }), 0, createRng(1));
 */
export function growTree(X: DenseMatrix, criterion: Criterion, params: CartParams, nClasses: number,
  rng: { int(n: number): number } | undefined): NodeArrays {
  const cols = presortColumns(X);
  const p = X.nCols;
  const goLeft = new Uint8Array(X.nRows);
  const order = new Int32Array(p);
  for (let f = 0; f < p; f++) order[f] = f;
  const store = createNodeStore(nClasses);
  const totals = criterion.totals;
  const best = emptyCandidate();
  // Stack of pending nodes: [start, end, depth, parent, isLeft]; right is pushed first so left pops next.
  const stack: number[] = [0, X.nRows, 0, -1, 0];
  let rootWeight = 0;

  while (stack.length > 0) {
    const isLeft = stack.pop()!, parent = stack.pop()!, depth = stack.pop()!;
    const end = stack.pop()!, start = stack.pop()!;
    criterion.initNode(cols.rows[0]!, start, end);
    const id = store.add(totals.count, totals.weight, totals.impurity, criterion.nodeValue());
    criterion.writeDistribution(store.arrays.classProba, id * nClasses);
    if (parent >= 0) (isLeft === 1 ? store.arrays.left : store.arrays.right)[parent] = id;
    else rootWeight = totals.weight;

    const n = totals.count;
    if (depth >= params.maxDepth || n < params.minSamplesSplit || n < 2 * params.minSamplesLeaf
      || totals.impurity <= EPSILON) continue;

    best.found = false;
    best.gain = -Infinity;
    if (rng !== undefined) {
      for (let i = p - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
    }
    for (let k = 0; k < p; k++) {
      const f = order[k]!;
      criterion.sweep(cols.rows[f]!, cols.xs[f]!, start, end, f, params.minSamplesLeaf, best);
    }
    if (!best.found || best.gain / rootWeight + EPSILON < params.minImpurityDecrease) continue;

    const rows = cols.rows[best.feature]!, xs = cols.xs[best.feature]!;
    const thr = best.threshold, dl = best.defaultLeft;
    for (let i = start; i < end; i++) {
      const x = xs[i]!;
      goLeft[rows[i]!] = x <= thr || (x !== x && dl) ? 1 : 0;
    }
    // children at maxDepth are leaves: only feature 0's list is read again (initNode sums their rows in its order)
    const nLeft = partitionColumns(cols, start, end, goLeft, depth + 1 >= params.maxDepth ? 1 : p);
    store.setSplit(id, best.feature, thr, dl);
    stack.push(start + nLeft, end, depth + 1, id, 0);
    stack.push(start, start + nLeft, depth + 1, id, 1);
  }
  return store.finish();
}
