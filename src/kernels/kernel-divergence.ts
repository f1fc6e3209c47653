/**
 * Divergences between two kernels over their shared source states (docs/method.md): the mean row KL in both
 * directions and the mean row Jensen–Shannon divergence, weighted by how often each source is visited
 * (`--weighting uniform`: a plain mean, as the original study did).
 */
import { jsDivergence, klDivergence } from '../stats/divergence.js';
import { rowSums, type CountMatrix } from './count-matrix.js';
import type { Smoothing } from './kernel.js';

export const WEIGHTINGS = ['visits', 'uniform'] as const;
export type Weighting = (typeof WEIGHTINGS)[number];

/** One side of a comparison: pooling mass (the kernel) and raw visits per source state. */
export interface KernelSide {
  mass: CountMatrix;
  visits: Float64Array;
}

export interface KernelDivergence {
  /** Σ_a w_P(a)·KL(P(·|a) ‖ Q̃(·|a)); P unsmoothed (MLE), Q̃ smoothed — the reference is always smoothed */
  klPQ: number;
  /** Σ_a w_Q(a)·KL(Q(·|a) ‖ P̃(·|a)) */
  klQP: number;
  /** Σ_a ½(w_P + w_Q)(a)·JS(P(·|a), Q(·|a)) on the unsmoothed rows (always finite) */
  js: number;
  /** source states visited by both sides (the states averaged over) */
  sharedStates: number;
}

/**
 * Divergences between kernels P and Q with additive smoothing on each reference distribution
 * (klDivergence normalises M(a, ·) + α to (M + α)/(Σ M + α·V'), the smoothed row).
 * @example kernelDivergence(side(human), side(agent), smoothingFor(0.5, vocabulary), 'visits').klPQ // mean KL(H‖A)
 */
export function kernelDivergence(p: KernelSide, q: KernelSide, sm: Smoothing, weighting: Weighting): KernelDivergence {
  const v = p.mass.size;
  const massP = rowSums(p.mass), massQ = rowSums(q.mass);
  const shared: number[] = [];
  let visitsP = 0, visitsQ = 0;
  for (let a = 0; a < p.visits.length; a++) {
    if (p.visits[a]! > 0 && q.visits[a]! > 0 && massP[a]! > 0 && massQ[a]! > 0) {
      shared.push(a);
      visitsP += p.visits[a]!;
      visitsQ += q.visits[a]!;
    }
  }
  const refP = new Float64Array(v), refQ = new Float64Array(v);
  let klPQ = 0, klQP = 0, js = 0;
  for (const a of shared) {
    const rowP = p.mass.values.subarray(a * v, (a + 1) * v), rowQ = q.mass.values.subarray(a * v, (a + 1) * v);
    for (let b = 0; b < v; b++) {
      const alpha = b === sm.start ? 0 : sm.alpha;
      refP[b] = rowP[b]! + alpha;
      refQ[b] = rowQ[b]! + alpha;
    }
    const wP = weighting === 'uniform' ? 1 / shared.length : p.visits[a]! / visitsP;
    const wQ = weighting === 'uniform' ? 1 / shared.length : q.visits[a]! / visitsQ;
    klPQ += wP * klDivergence(rowP, refQ);
    klQP += wQ * klDivergence(rowQ, refP);
    js += ((wP + wQ) / 2) * jsDivergence(rowP, rowQ);
  }
  if (shared.length === 0) return { klPQ: NaN, klQP: NaN, js: NaN, sharedStates: 0 };
  return { klPQ, klQP, js, sharedStates: shared.length };
}
