/**
 * Per-session gap scores (docs/method.md). A session's own kernel P_s is its unsmoothed MLE; ΔH and ΔA are the
 * visit-weighted mean row KL(P_s ‖ Q_c) against the smoothed class centroids; gap = ΔH − ΔA (> 0: agent-like)
 * and f = σ(gap / T). Leave-one-out: the session's own mass is subtracted from the centroid that contains
 * it, row by row as the rows are read — O(pairs of the session), never a refit.
 */
import { rowSums, type CountMatrix } from './count-matrix.js';
import { smoothedSupport, type Smoothing } from './kernel.js';
import type { Weighting } from './kernel-divergence.js';
import type { SessionTransitions } from './session-transitions.js';

export interface GapOptions {
  /** additive smoothing of the centroids */
  smoothing: Smoothing;
  weighting: Weighting;
  /** score against centroids that contain the session (the original study's way) */
  inSample: boolean;
  /** temperature T of f = σ(gap / T) */
  temperature: number;
}

/** Why a session has no score. */
export const UNSCORED = { scored: 0, tooShort: 1, undefined: 2 } as const;

export interface GapScores {
  deltaHuman: Float64Array;
  deltaAgent: Float64Array;
  gap: Float64Array;
  /** f = σ(gap / T), the agent probability */
  probability: Float64Array;
  /** UNSCORED code per session */
  status: Int8Array;
}

/** Logistic σ(x) without overflow. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// Mass left after removing a session: float residues of mean-of-rows sums below this count as zero.
function residue(total: number, removed: number): number {
  const left = total - removed;
  return left < 1e-12 * Math.max(1, total) ? 0 : left;
}

/**
 * Gap scores for every session. `centroids` are the class mass matrices [human, agent]; `member[s]` names
 * the centroid that contains session s (0 human, 1 agent, −1 neither) so its mass can be left out.
 * @example gapScores(t, mass, [human.mass, agent.mass], member, { smoothing, weighting: 'visits', inSample: false, temperature: 1 })
 */
export function gapScores(t: SessionTransitions, mass: Float64Array, centroids: [CountMatrix, CountMatrix], member: Int8Array, opts: GapOptions): GapScores {
  const sessions = t.events.length, v = t.size, alpha = opts.smoothing.alpha, start = opts.smoothing.start;
  const pseudo = alpha * smoothedSupport(v, opts.smoothing);
  const rowMass = centroids.map(rowSums);
  const out: GapScores = {
    deltaHuman: new Float64Array(sessions).fill(NaN), deltaAgent: new Float64Array(sessions).fill(NaN),
    gap: new Float64Array(sessions).fill(NaN), probability: new Float64Array(sessions).fill(NaN), status: new Int8Array(sessions),
  };
  const delta = new Float64Array(2);
  for (let s = 0; s < sessions; s++) {
    if (t.events[s]! < 2) {
      out.status[s] = UNSCORED.tooShort;
      continue;
    }
    const lo = t.pairOffsets[s]!, hi = t.pairOffsets[s + 1]!;
    let transitions = 0, rows = 0;
    for (let j = lo; j < hi; j++) {
      transitions += t.count[j]!;
      if (j === lo || t.src[j] !== t.src[j - 1]) rows++;
    }
    delta.fill(0);
    for (let j = lo; j < hi; ) {
      const a = t.src[j]!;
      let k = j, visits = 0, removed = 0;
      for (; k < hi && t.src[k] === a; k++) {
        visits += t.count[k]!;
        removed += mass[k]!;
      }
      const weight = opts.weighting === 'uniform' ? 1 / rows : visits / transitions;
      for (let c = 0; c < 2; c++) {
        const loo = !opts.inSample && member[s] === c;
        const m = centroids[c]!.values;
        const denom = (loo ? residue(rowMass[c]![a]!, removed) : rowMass[c]![a]!) + pseudo;
        let kl = 0;
        for (let i = j; i < k; i++) {
          const p = t.count[i]! / visits;
          const cell = m[a * v + t.dst[i]!]!;
          const q = ((loo ? residue(cell, mass[i]!) : cell) + (t.dst[i] === start ? 0 : alpha)) / denom;
          kl += q > 0 ? p * Math.log(p / q) : denom > 0 ? Infinity : NaN;
        }
        delta[c]! += weight * kl;
      }
      j = k;
    }
    const gap = delta[0]! - delta[1]!;
    out.deltaHuman[s] = delta[0]!;
    out.deltaAgent[s] = delta[1]!;
    out.gap[s] = gap;
    out.probability[s] = Number.isNaN(gap) ? NaN : sigmoid(gap / opts.temperature);
    out.status[s] = Number.isNaN(gap) ? UNSCORED.undefined : UNSCORED.scored;
  }
  return out;
}
