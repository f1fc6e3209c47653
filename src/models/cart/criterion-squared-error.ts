/**
 * Squared-error criterion for regression trees. Sums are taken of w·(y − node mean), so the gain
 * s_L²/W_L + s_R²/W_R − s²/W (the between-children sum of squares) keeps its digits even when the
 * target's mean is large next to its spread.
 */
import { allOnes, offerCandidate, type Criterion, type NodeTotals, type SplitCandidate } from './criterion.js';

const TIE_RELATIVE = 1e-12;

/** Build the criterion over target `y` with weights `w` (both indexed by row). */
export function squaredErrorCriterion(y: Float64Array, w: Float64Array): Criterion {
  const totals: NodeTotals = { count: 0, weight: 0, impurity: 0, tieScale: 0 };
  let mean = 0;
  let centredSum = 0;
  /** w·(y − node mean) per row of the current node, computed once per node instead of once per feature sweep */
  const dev = new Float64Array(y.length);
  const unitWeights = allOnes(w);

  function initNode(rows: Int32Array, start: number, end: number): void {
    let sw = 0, swy = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      sw += w[r]!;
      swy += w[r]! * y[r]!;
    }
    mean = swy / sw;
    let s = 0, ss = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      const d = y[r]! - mean;
      dev[r] = w[r]! * d;
      s += w[r]! * d;
      ss += w[r]! * d * d;
    }
    centredSum = s;
    totals.count = end - start;
    totals.weight = sw;
    totals.impurity = ss / sw;
    totals.tieScale = ss;
  }

  function sweep(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate): void {
    let presentEnd = end;
    while (presentEnd > start && xs[presentEnd - 1] !== xs[presentEnd - 1]) presentEnd--;
    const n = end - start;
    const nMiss = end - presentEnd;
    const W = totals.weight, S = centredSum;
    const base = (S * S) / W;
    const tol = TIE_RELATIVE * totals.tieScale;
    if (nMiss === 0 && unitWeights) { sweepUnitPresent(rows, xs, start, end, feature, minLeaf, best, S, base, tol); return; }
    let wMiss = 0, sMiss = 0;
    for (let i = presentEnd; i < end; i++) {
      const r = rows[i]!;
      wMiss += w[r]!;
      sMiss += dev[r]!;
    }
    let wL = 0, sL = 0;
    for (let i = start; i < presentEnd - 1; i++) {
      const r = rows[i]!;
      wL += w[r]!;
      sL += dev[r]!;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const nL = i + 1 - start;
      // Missing rows to the right (or, with none missing, NaN later follows the larger child).
      if (nL >= minLeaf && n - nL >= minLeaf) {
        const wR = W - wL, sR = S - sL;
        if (wL > 0 && wR > 0) {
          const gain = (sL * sL) / wL + (sR * sR) / wR - base;
          offerCandidate(best, gain, tol, feature, a, b, nMiss === 0 && nL >= n - nL);
        }
      }
      if (nMiss > 0 && nL + nMiss >= minLeaf && n - nL - nMiss >= minLeaf) {
        const wLm = wL + wMiss, sLm = sL + sMiss;
        const wR = W - wLm, sR = S - sLm;
        if (wLm > 0 && wR > 0) {
          const gain = (sLm * sLm) / wLm + (sR * sR) / wR - base;
          offerCandidate(best, gain, tol, feature, a, b, true);
        }
      }
    }
  }

  /**
   * sweep for a node without missing values and unit weights (the common case), the same gains to the bit: the
   * weight left of a split is then the count nL (w[r] = 1 adds exactly 1), and positions where a side would hold
   * fewer than minLeaf rows are summed without being tried.
   */
  function sweepUnitPresent(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate, S: number, base: number, tol: number): void {
    const n = end - start, W = totals.weight;
    const hi = end - minLeaf, lo = Math.min(start + minLeaf - 1, hi); // i in [lo, hi): both sides hold >= minLeaf rows
    let sL = 0, i = start;
    for (; i < lo; i++) sL += dev[rows[i]!]!;
    for (; i < hi; i++) {
      sL += dev[rows[i]!]!;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const wL = i + 1 - start, wR = W - wL, sR = S - sL;
      const gain = (sL * sL) / wL + (sR * sR) / wR - base;
      if (gain > best.gain + tol) offerCandidate(best, gain, tol, feature, a, b, wL >= n - wL);
    }
  }

  return {
    totals,
    initNode,
    sweep,
    nodeValue: () => mean,
    writeDistribution: () => undefined,
  };
}
