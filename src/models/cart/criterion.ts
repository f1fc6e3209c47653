/**
 * The contract between the tree grower and an impurity criterion (squared error, Gini), and the
 * split candidate both sweeps fill in. A criterion owns the node totals; its sweep scans one feature's
 * sorted range once and keeps the best split seen so far.
 */

/** Totals of the node being split, filled by `initNode`. */
export interface NodeTotals {
  count: number;
  weight: number;
  /** Weighted variance (squared error) or Gini impurity. */
  impurity: number;
  /** Gains closer than 1e-12 × tieScale count as ties (kept: the earlier feature in the seeded order). */
  tieScale: number;
}

/**
 * Best split found so far at a node. `gain` is the decrease of the node's weighted impurity sum
 * (parent·W − left·W_L − right·W_R), the quantity scikit-learn's proxy improvement ranks.
 */
export interface SplitCandidate {
  found: boolean;
  gain: number;
  feature: number;
  threshold: number;
  defaultLeft: boolean;
}

export interface Criterion {
  readonly totals: NodeTotals;
  /** Compute the totals of rows[start, end) (the node's rows, in any order). */
  initNode(rows: Int32Array, start: number, end: number): void;
  /** Scan feature `feature`'s sorted range [start, end) (missing values at the tail); update `best`. */
  sweep(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate): void;
  /** Node value after `initNode`: the mean, or the predicted class. */
  nodeValue(): number;
  /** Classification: write the class shares of the node into out[offset..offset+nClasses). */
  writeDistribution(out: Float64Array, offset: number): void;
}

export function emptyCandidate(): SplitCandidate {
  return { found: false, gain: -Infinity, feature: -1, threshold: NaN, defaultLeft: false };
}

/**
 * scikit-learn's threshold: the midpoint a/2 + b/2 of two consecutive distinct values, or `a` when
 * rounding makes it equal to `b`, so that `a <= t < b` always holds.
 */
export function midpoint(a: number, b: number): number {
  const t = a / 2 + b / 2;
  return t === b || !Number.isFinite(t) ? a : t;
}

/**
 * Record a candidate if it beats `best` by more than the tie tolerance. Without missing values in the
 * node, NaN is routed to the child with more training rows (ties: left).
 */
export function offerCandidate(best: SplitCandidate, gain: number, tol: number, feature: number,
  a: number, b: number, defaultLeft: boolean): void {
  if (gain > best.gain + tol) {
    best.found = true;
    best.gain = gain;
    best.feature = feature;
    best.threshold = midpoint(a, b);
    best.defaultLeft = defaultLeft;
  }
}

/**
 * True when every weight is exactly 1 (no sample weights given): the sweeps then count rows instead of summing
 * weights, which gives the same numbers (adding 1.0 is exact) without reading a weight per row.
 */
export function allOnes(w: Float64Array): boolean {
  for (let i = 0; i < w.length; i++) if (w[i] !== 1) return false;
  return true;
}
