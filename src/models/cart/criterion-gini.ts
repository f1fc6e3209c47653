/**
 * Gini criterion for classification trees. Gini = 1 − Σ_k (c_k/W)²; the weighted impurity decrease of
 * a split is Σc_Lk²/W_L + Σc_Rk²/W_R − Σc_k²/W, which is what the sweep ranks.
 */
import { allOnes, offerCandidate, type Criterion, type NodeTotals, type SplitCandidate } from './criterion.js';

const TIE_RELATIVE = 1e-12;

/** Build the criterion over class indices `yClass` (0..nClasses−1) with weights `w`. */
export function giniCriterion(yClass: Int32Array, w: Float64Array, nClasses: number): Criterion {
  const totals: NodeTotals = { count: 0, weight: 0, impurity: 0, tieScale: 0 };
  const K = nClasses;
  const total = new Float64Array(K);
  const left = new Float64Array(K);
  const missing = new Float64Array(K);
  let sqTotal = 0;
  const unitWeights = allOnes(w);

  function initNode(rows: Int32Array, start: number, end: number): void {
    total.fill(0);
    let sw = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      total[yClass[r]!]! += w[r]!;
      sw += w[r]!;
    }
    sqTotal = 0;
    for (let k = 0; k < K; k++) sqTotal += total[k]! * total[k]!;
    totals.count = end - start;
    totals.weight = sw;
    totals.impurity = 1 - sqTotal / (sw * sw);
    totals.tieScale = sw;
  }

  // Σc_Lk²/W_L + Σc_Rk²/W_R for left counts `left` (+ `missing` when missingLeft).
  function childScore(missingLeft: boolean, wLeft: number): number {
    let sqL = 0, sqR = 0;
    for (let k = 0; k < K; k++) {
      const cl = missingLeft ? left[k]! + missing[k]! : left[k]!;
      const cr = total[k]! - cl;
      sqL += cl * cl;
      sqR += cr * cr;
    }
    return sqL / wLeft + sqR / (totals.weight - wLeft);
  }

  function sweep(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate): void {
    if (K === 2) { sweepBinary(rows, xs, start, end, feature, minLeaf, best); return; }
    let presentEnd = end;
    while (presentEnd > start && xs[presentEnd - 1] !== xs[presentEnd - 1]) presentEnd--;
    const n = end - start;
    const nMiss = end - presentEnd;
    const W = totals.weight;
    const base = sqTotal / W;
    const tol = TIE_RELATIVE * totals.tieScale;
    left.fill(0);
    missing.fill(0);
    let wMiss = 0;
    for (let i = presentEnd; i < end; i++) {
      const r = rows[i]!;
      missing[yClass[r]!]! += w[r]!;
      wMiss += w[r]!;
    }
    let wL = 0;
    for (let i = start; i < presentEnd - 1; i++) {
      const r = rows[i]!;
      left[yClass[r]!]! += w[r]!;
      wL += w[r]!;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const nL = i + 1 - start;
      if (nL >= minLeaf && n - nL >= minLeaf && wL > 0 && W - wL > 0) {
        const gain = childScore(false, wL) - base;
        offerCandidate(best, gain, tol, feature, a, b, nMiss === 0 && nL >= n - nL);
      }
      const wLm = wL + wMiss;
      if (nMiss > 0 && nL + nMiss >= minLeaf && n - nL - nMiss >= minLeaf && wLm > 0 && W - wLm > 0) {
        offerCandidate(best, childScore(true, wLm) - base, tol, feature, a, b, true);
      }
    }
  }

  /**
   * sweep for two classes, the counts in locals instead of arrays: the same operations in the same order as
   * childScore (Σ starts at 0, class 0 then class 1), so every gain has the same bits.
   */
  function sweepBinary(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate): void {
    let presentEnd = end;
    while (presentEnd > start && xs[presentEnd - 1] !== xs[presentEnd - 1]) presentEnd--;
    const n = end - start;
    const nMiss = end - presentEnd;
    const W = totals.weight;
    const base = sqTotal / W;
    const tol = TIE_RELATIVE * totals.tieScale;
    const t0 = total[0]!, t1 = total[1]!;
    if (nMiss === 0 && unitWeights) { sweepBinaryUnitPresent(rows, xs, start, end, feature, minLeaf, best, base, tol); return; }
    let m0 = 0, m1 = 0, wMiss = 0;
    for (let i = presentEnd; i < end; i++) {
      const r = rows[i]!;
      if (yClass[r] === 0) m0 += w[r]!; else m1 += w[r]!;
      wMiss += w[r]!;
    }
    let l0 = 0, l1 = 0, wL = 0;
    for (let i = start; i < presentEnd - 1; i++) {
      const r = rows[i]!;
      const wr = w[r]!;
      if (yClass[r] === 0) l0 += wr; else l1 += wr;
      wL += wr;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const nL = i + 1 - start;
      if (nL >= minLeaf && n - nL >= minLeaf && wL > 0 && W - wL > 0) {
        const r0 = t0 - l0, r1 = t1 - l1;
        const gain = (0 + l0 * l0 + l1 * l1) / wL + (0 + r0 * r0 + r1 * r1) / (W - wL) - base;
        offerCandidate(best, gain, tol, feature, a, b, nMiss === 0 && nL >= n - nL);
      }
      const wLm = wL + wMiss;
      if (nMiss > 0 && nL + nMiss >= minLeaf && n - nL - nMiss >= minLeaf && wLm > 0 && W - wLm > 0) {
        const c0 = l0 + m0, c1 = l1 + m1, r0 = t0 - c0, r1 = t1 - c1;
        offerCandidate(best, (0 + c0 * c0 + c1 * c1) / wLm + (0 + r0 * r0 + r1 * r1) / (W - wLm) - base, tol, feature, a, b, true);
      }
    }
  }

  /**
   * sweepBinary without missing values and with unit weights, the same gains to the bit: counts are whole numbers,
   * so class 1's count is the sum of the labels and class 0's the rest (exact), and wL = nL; positions where a side
   * would hold fewer than minLeaf rows are counted without being tried.
   */
  function sweepBinaryUnitPresent(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate, base: number, tol: number): void {
    const n = end - start, W = totals.weight;
    const t0 = total[0]!, t1 = total[1]!;
    const hi = end - minLeaf, lo = Math.min(start + minLeaf - 1, hi); // i in [lo, hi): both sides hold >= minLeaf rows
    let l1 = 0, i = start;
    for (; i < lo; i++) l1 += yClass[rows[i]!]!;
    for (; i < hi; i++) {
      l1 += yClass[rows[i]!]!;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const wL = i + 1 - start, l0 = wL - l1, r0 = t0 - l0, r1 = t1 - l1;
      const gain = (0 + l0 * l0 + l1 * l1) / wL + (0 + r0 * r0 + r1 * r1) / (W - wL) - base;
      if (gain > best.gain + tol) offerCandidate(best, gain, tol, feature, a, b, wL >= n - wL);
    }
  }

  function nodeValue(): number {
    let arg = 0;
    for (let k = 1; k < K; k++) if (total[k]! > total[arg]!) arg = k;
    return arg;
  }

  function writeDistribution(out: Float64Array, offset: number): void {
    for (let k = 0; k < K; k++) out[offset + k] = total[k]! / totals.weight;
  }

  return { totals, initNode, sweep, nodeValue, writeDistribution };
}
