/**
 * The agent-probability signal a `defended-` bidder reads (docs/auction.md, "Contamination"). A scorer is
 * anything that maps an opportunity to p_agent; the built-in one stands in for a phantom classifier of a
 * given ROC AUC: scores are binormal (agents N(d′, 1), humans N(0, 1), AUC = Φ(d′/√2)) and turned into
 * the posterior probability at the scorer's calibration prior: p = σ(logit(prior) + d′·s − d′²/2).
 */
import { normalQuantile } from '../stats/normal-quantile.js';
import type { Rng } from '../stats/rng.js';

export interface AgentScorer {
  /** p_agent for one visitor whose true class is `isAgent` */
  score(isAgent: boolean, rng: Rng): number;
}

export interface ScorerParams {
  /** ROC AUC of the classifier the scorer stands for (0.5: no signal) */
  auc: number;
  /** agent share the scores are calibrated to */
  prior: number;
}

export const SCORER_DEFAULTS: Readonly<ScorerParams> = Object.freeze({ auc: 0.9, prior: 0.2 });

/** @example binormalScorer({ auc: 0.9, prior: 0.2 }).score(true, rng) */
export function binormalScorer(p: ScorerParams): AgentScorer {
  const dprime = Math.SQRT2 * normalQuantile(Math.min(0.999999, Math.max(0.5, p.auc)));
  const offset = Math.log(p.prior / (1 - p.prior)) - (dprime * dprime) / 2;
  return {
    score(isAgent, rng) {
      const s = rng.normal() + (isAgent ? dprime : 0);
      return 1 / (1 + Math.exp(-(offset + dprime * s)));
    },
  };
}
