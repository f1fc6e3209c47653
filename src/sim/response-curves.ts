/**
 * The market's own model in closed form, for the oracle and the robust policies: expectations over the
 * log-normal willingness to pay by Gauss–Hermite quadrature (32 nodes), and the revenue-maximising price
 * multiplier of a product whose human log-WTP is shifted by s (appeal loading + daily cycle).
 */
import { normalSf } from '../stats/normal.js';
import { sigmoid, type ClassParams, type MarketParams } from './params.js';

/** Nodes z and weights w with Σ w·g(z) ≈ E[g(Z)], Z ~ N(0, 1) (Golub–Welsch-free Newton iteration, NR `gauher`). */
export function gaussHermite(n: number): { z: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), wt = new Float64Array(n);
  const m = (n + 1) >> 1;
  let root = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) root = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) root -= (1.14 * n ** 0.426) / root;
    else if (i === 2) root = 1.86 * root - 0.86 * x[0]!;
    else if (i === 3) root = 1.91 * root - 0.91 * x[1]!;
    else root = 2 * root - x[i - 2]!;
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = Math.PI ** -0.25, p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = root * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const prev = root;
      root = prev - p1 / pp;
      if (Math.abs(root - prev) <= 1e-14) break;
    }
    x[i] = root; x[n - 1 - i] = -root;
    wt[i] = 2 / (pp * pp); wt[n - 1 - i] = wt[i]!;
  }
  // physicists' nodes (weight e^{−x²}) → standard normal expectations
  const z = Float64Array.from(x, (v) => v * Math.SQRT2), w = Float64Array.from(wt, (v) => v / Math.sqrt(Math.PI));
  return { z, w };
}

const GH = gaussHermite(32);

/**
 * Probability a human buys at multiplier m (price / p0), given the log-WTP shift s:
 * E_z[σ(κ·(median·e^{s + σz} − m))].
 * @example humanBuyProbability(params, 1.0, 0) // ≈ 0.6 with the defaults
 */
export function humanBuyProbability(p: MarketParams, m: number, s: number): number {
  const h = p.human, logMed = Math.log(h.wtpMedian) + s;
  let acc = 0;
  for (let k = 0; k < GH.z.length; k++) acc += GH.w[k]! * sigmoid(p.purchaseKappa * (Math.exp(logMed + h.wtpSigma * GH.z[k]!) - m));
  return acc;
}

/** Probability an agent's reservation covers multiplier m: P(v/p0 >= m). */
export function agentBuyProbability(a: ClassParams, m: number): number {
  return normalSf((Math.log(m) - Math.log(a.wtpMedian)) / a.wtpSigma);
}

/** argmax of m·humanBuyProbability(m, s) over [lo, hi] (golden-section search; the curve is unimodal). */
export function bestHumanMultiplier(p: MarketParams, s: number, lo: number, hi: number): number {
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (m: number) => m * humanBuyProbability(p, m, s);
  let a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
  for (let i = 0; i < 60 && b - a > 1e-6; i++) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
    else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
  }
  const m = (a + b) / 2;
  // the search never evaluates the bounds themselves: compare with them for corner optima
  return [lo, m, hi].reduce((best, x) => (f(x) > f(best) ? x : best), m);
}

/** A lookup table s → best multiplier over s ∈ [−span, span], linearly interpolated. */
export interface MultiplierTable {
  lookup(s: number): number;
}

/**
 * The oracle's table: bestHumanMultiplier at `points` shifts in [−span, span].
 * @example bestMultiplierTable(params, 0.7, 1.5).lookup(0.2)
 */
export function bestMultiplierTable(p: MarketParams, lo: number, hi: number, span = 3, points = 301): MultiplierTable {
  const table = new Float64Array(points);
  const stepS = (2 * span) / (points - 1);
  for (let k = 0; k < points; k++) table[k] = bestHumanMultiplier(p, -span + k * stepS, lo, hi);
  return {
    lookup(s) {
      const x = Math.min(points - 1, Math.max(0, (s + span) / stepS));
      const k = Math.min(points - 2, Math.floor(x));
      return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
    },
  };
}

/**
 * A curve f(m) tabulated on [lo, hi] at `step` and linearly interpolated (clamped outside), for hot loops.
 * @example const buy = tabulate((m) => humanBuyProbability(p, m, 0), 0.7, 1.5)
 */
export function tabulate(f: (m: number) => number, lo: number, hi: number, step = 1e-3): (m: number) => number {
  const points = Math.max(2, Math.ceil((hi - lo) / step) + 1);
  const h = (hi - lo) / (points - 1) || 1;
  const table = Float64Array.from({ length: points }, (_, k) => f(lo + k * h));
  return (m) => {
    const x = Math.min(points - 1, Math.max(0, (m - lo) / h));
    const k = Math.min(points - 2, Math.floor(x));
    return table[k]! + (x - k) * (table[k + 1]! - table[k]!);
  };
}
