/**
 * Best split of one node from its gradient histogram (xgboost 1.7 HistEvaluator::EnumerateSplit):
 * a forward scan (missing values go right), and when the node has missing values a backward scan
 * (missing go left) — the learned default direction. Gains follow xgboost's float32 casts.
 */
import type { HistogramCuts } from './binning.js';
import type { KernelArena } from './hist-kernel.js';

/** The regularisation terms of the second-order gain. */
export interface GainParams {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  maxDeltaStep: number;
}

/** A split of one node: rows with local bin ≤ splitBin (or missing, when defaultLeft) go left. */
export interface SplitCandidate {
  loss: number;
  feature: number;
  /** Last bin going left; −1 sends only missing values left. */
  splitBin: number;
  threshold: number;
  defaultLeft: boolean;
  gradLeft: number;
  hessLeft: number;
  gradRight: number;
  hessRight: number;
}

const f32 = Math.fround;

function thresholdL1(g: number, alpha: number): number {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;
}

/** Optimal leaf weight −T_α(G)/(H+λ), zero below min_child_weight, clipped by max_delta_step. */
export function leafWeight(G: number, H: number, p: GainParams): number {
  if (H < p.minChildWeight || H <= 0) return 0;
  let w = -thresholdL1(G, p.alpha) / (H + p.lambda);
  if (p.maxDeltaStep !== 0 && Math.abs(w) > p.maxDeltaStep) w = Math.sign(w) * p.maxDeltaStep;
  return f32(w);
}

/** Structure score T_α(G)²/(H+λ) (or the weight form when max_delta_step clips). */
export function nodeGain(G: number, H: number, p: GainParams): number {
  if (H <= 0) return 0;
  if (p.maxDeltaStep === 0) {
    const t = thresholdL1(G, p.alpha);
    return f32((t * t) / (H + p.lambda));
  }
  const w = leafWeight(G, H, p);
  return f32(-(2 * G * w + (H + p.lambda) * w * w));
}

/**
 * Scan the histogram of a node over `features` (ascending) and return the best split with positive
 * loss change, or null. Ties keep the lower feature and the earlier scan position, as xgboost does.
 * `hist` holds (grad, hess) pairs per global slot; `hasMissing[f]` says the feature has any NaN. When `hist`
 * lives in `arena`, the plain scan (α = 0, no max_delta_step) runs in WebAssembly (hist-kernel.wat scan): the
 * same floats.
 * @example bestSplit(hist, G, H, features, cuts, hasMissing, gainParams)
 */
export function bestSplit(
  hist: Float64Array, G: number, H: number, features: Int32Array, cuts: HistogramCuts,
  hasMissing: Uint8Array, p: GainParams, arena?: KernelArena,
): SplitCandidate | null {
  const { cutPtr, cutValues, minValues } = cuts;
  const mcw = p.minChildWeight;
  const rootGain = nodeGain(G, H, p);
  let best: SplitCandidate | null = null;
  let bestLoss = 0;
  const plain = p.alpha === 0 && p.maxDeltaStep === 0;
  const kernel = plain && arena?.has(hist) ? arena.kernel : null;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const cb = cutPtr[f]!, nb = cutPtr[f + 1]! - cb, slot0 = cb + f;
    let gl = 0, hl = 0;
    let fBin = -2, fLoss = 0, fDefaultLeft = false;
    if (kernel !== null) {
      const miss = 2 * (slot0 + nb), withMissing = hasMissing[f] === 1 && (hist[miss] !== 0 || hist[miss + 1] !== 0);
      fLoss = kernel.scan(hist.byteOffset, slot0, nb, G, H, mcw, p.lambda, rootGain, withMissing ? 1 : 0);
      fBin = kernel.scanBin();
      fDefaultLeft = kernel.scanDefaultLeft() === 1;
    } else if (plain) {
      // nodeGain written out for α = 0 and no max_delta_step (T₀(g)² = g² for every finite g): the same floats
      const lam = p.lambda, miss = 2 * (slot0 + nb);
      for (let b = 0, i = 2 * slot0; b < nb; b++, i += 2) {
        gl += hist[i]!;
        hl += hist[i + 1]!;
        if (hl < mcw) continue;
        const hr = H - hl;
        if (hr < mcw) continue;
        const gr = G - gl;
        const loss = f32(f32((hl <= 0 ? 0 : f32((gl * gl) / (hl + lam))) + (hr <= 0 ? 0 : f32((gr * gr) / (hr + lam)))) - rootGain);
        if (loss > fLoss) { fLoss = loss; fBin = b; }
      }
      if (hasMissing[f] === 1 && (hist[miss] !== 0 || hist[miss + 1] !== 0)) {
        let gr = 0, hr = 0;
        for (let b = nb - 1, i = 2 * (slot0 + b); b >= 0; b--, i -= 2) {
          gr += hist[i]!;
          hr += hist[i + 1]!;
          if (hr < mcw) continue;
          const hlb = H - hr;
          if (hlb < mcw) continue;
          const glb = G - gr;
          const loss = f32(f32((hr <= 0 ? 0 : f32((gr * gr) / (hr + lam))) + (hlb <= 0 ? 0 : f32((glb * glb) / (hlb + lam)))) - rootGain);
          if (loss > fLoss) { fLoss = loss; fBin = b - 1; fDefaultLeft = true; }
        }
      }
    } else {
      for (let b = 0; b < nb; b++) {
        gl += hist[2 * (slot0 + b)]!;
        hl += hist[2 * (slot0 + b) + 1]!;
        if (hl < mcw) continue;
        const hr = H - hl;
        if (hr < mcw) continue;
        const loss = f32(f32(nodeGain(gl, hl, p) + nodeGain(G - gl, hr, p)) - rootGain);
        if (loss > fLoss) { fLoss = loss; fBin = b; }
      }
      const miss = 2 * (slot0 + nb);
      if (hasMissing[f] === 1 && (hist[miss] !== 0 || hist[miss + 1] !== 0)) {
        let gr = 0, hr = 0;
        for (let b = nb - 1; b >= 0; b--) {
          gr += hist[2 * (slot0 + b)]!;
          hr += hist[2 * (slot0 + b) + 1]!;
          if (hr < mcw) continue;
          const hlb = H - hr;
          if (hlb < mcw) continue;
          const loss = f32(f32(nodeGain(gr, hr, p) + nodeGain(G - gr, hlb, p)) - rootGain);
          if (loss > fLoss) { fLoss = loss; fBin = b - 1; fDefaultLeft = true; }
        }
      }
    }
    if (fBin === -2 || !(fLoss > bestLoss) || !Number.isFinite(fLoss)) continue;
    bestLoss = fLoss;
    best = splitStats(hist, slot0, nb, fBin, fDefaultLeft, G, H);
    best.loss = fLoss;
    best.feature = f;
    best.threshold = fBin === -1 ? minValues[f]! : cutValues[cb + fBin]!;
  }
  return best;
}

/** Left/right sums of a chosen split, recomputed in scan order so they equal the scanned values. */
function splitStats(hist: Float64Array, slot0: number, nb: number, bin: number, defaultLeft: boolean, G: number, H: number): SplitCandidate {
  let g = 0, h = 0;
  if (!defaultLeft) {
    for (let b = 0; b <= bin; b++) { g += hist[2 * (slot0 + b)]!; h += hist[2 * (slot0 + b) + 1]!; }
    return { loss: 0, feature: 0, splitBin: bin, threshold: 0, defaultLeft, gradLeft: g, hessLeft: h, gradRight: G - g, hessRight: H - h };
  }
  for (let b = nb - 1; b > bin; b--) { g += hist[2 * (slot0 + b)]!; h += hist[2 * (slot0 + b) + 1]!; }
  return { loss: 0, feature: 0, splitBin: bin, threshold: 0, defaultLeft, gradLeft: G - g, hessLeft: H - h, gradRight: g, hessRight: h };
}
