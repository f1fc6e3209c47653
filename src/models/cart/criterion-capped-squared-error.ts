/**
 * Squared error under a leaf cap (docs/distill.md, "Human-safe rules"): some rows are *capped* — a leaf that
 * holds one of them may predict at most `cap`. A node's value is then its weighted mean y, or `cap` when it
 * holds a capped row and its mean is above `cap`; its loss is Σ w·(y − value)², i.e. the variance sum plus
 * W·(mean − value)². A split is chosen by how much it lowers that loss, so the tree is the greedy least-squares
 * fit under the constraint "no leaf reached by a capped row predicts more than cap": it prefers splits that
 * move the capped rows away from dear sessions, and keeps the cost of whatever still mixes in its fidelity.
 * Without capped rows in a node it is exactly the squared-error criterion (same gains up to rounding).
 */
import { offerCandidate, type Criterion, type NodeTotals, type SplitCandidate } from './criterion.js';

const TIE_RELATIVE = 1e-12;

/**
 * The loss Σ w·(y − value)² of a set of rows, from sums centred on `m`: weight W, S = Σ w·(y − m),
 * Q = Σ w·(y − m)², `capped` = whether it holds a capped row.
 */
function cappedLoss(W: number, S: number, Q: number, capped: boolean, m: number, cap: number): number {
  const within = Q - (S * S) / W;
  const mean = m + S / W;
  return capped && mean > cap ? within + W * (mean - cap) ** 2 : within;
}

/**
 * Build the criterion over target `y`, weights `w` and the capped flag per row (1 = capped).
 * @example const c = cappedSquaredErrorCriterion(y, w, clear, 1.02); // growTree(X, c, params, 0, rng)
 */
export function cappedSquaredErrorCriterion(y: Float64Array, w: Float64Array, capped: Uint8Array, cap: number): Criterion {
  const totals: NodeTotals = { count: 0, weight: 0, impurity: 0, tieScale: 0 };
  let mean = 0, value = 0, centredSum = 0, centredSq = 0, nodeCapped = 0, nodeLoss = 0;

  function initNode(rows: Int32Array, start: number, end: number): void {
    let sw = 0, swy = 0, k = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      sw += w[r]!;
      swy += w[r]! * y[r]!;
      k += capped[r]!;
    }
    mean = swy / sw;
    let s = 0, ss = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      const d = y[r]! - mean;
      s += w[r]! * d;
      ss += w[r]! * d * d;
    }
    centredSum = s;
    centredSq = ss;
    nodeCapped = k;
    value = k > 0 && mean > cap ? cap : mean;
    nodeLoss = cappedLoss(sw, s, ss, k > 0, mean, cap);
    totals.count = end - start;
    totals.weight = sw;
    totals.impurity = nodeLoss / sw;
    totals.tieScale = ss;
  }

  function sweep(rows: Int32Array, xs: Float64Array, start: number, end: number, feature: number,
    minLeaf: number, best: SplitCandidate): void {
    let presentEnd = end;
    while (presentEnd > start && xs[presentEnd - 1] !== xs[presentEnd - 1]) presentEnd--;
    const n = end - start;
    const nMiss = end - presentEnd;
    const W = totals.weight, S = centredSum, Q = centredSq, K = nodeCapped;
    const tol = TIE_RELATIVE * totals.tieScale;
    let wMiss = 0, sMiss = 0, qMiss = 0, kMiss = 0;
    for (let i = presentEnd; i < end; i++) {
      const r = rows[i]!, d = y[r]! - mean;
      wMiss += w[r]!;
      sMiss += w[r]! * d;
      qMiss += w[r]! * d * d;
      kMiss += capped[r]!;
    }
    const loss = (wa: number, sa: number, qa: number, ka: number) =>
      cappedLoss(wa, sa, qa, ka > 0, mean, cap) + cappedLoss(W - wa, S - sa, Q - qa, K - ka > 0, mean, cap);
    let wL = 0, sL = 0, qL = 0, kL = 0;
    for (let i = start; i < presentEnd - 1; i++) {
      const r = rows[i]!, d = y[r]! - mean;
      wL += w[r]!;
      sL += w[r]! * d;
      qL += w[r]! * d * d;
      kL += capped[r]!;
      const a = xs[i]!, b = xs[i + 1]!;
      if (b <= a) continue;
      const nL = i + 1 - start;
      if (nL >= minLeaf && n - nL >= minLeaf && wL > 0 && W - wL > 0) {
        offerCandidate(best, nodeLoss - loss(wL, sL, qL, kL), tol, feature, a, b, nMiss === 0 && nL >= n - nL);
      }
      if (nMiss > 0 && nL + nMiss >= minLeaf && n - nL - nMiss >= minLeaf && wL + wMiss > 0 && W - wL - wMiss > 0) {
        offerCandidate(best, nodeLoss - loss(wL + wMiss, sL + sMiss, qL + qMiss, kL + kMiss), tol, feature, a, b, true);
      }
    }
  }

  return { totals, initNode, sweep, nodeValue: () => value, writeDistribution: () => undefined };
}
