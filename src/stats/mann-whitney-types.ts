import type { Rng } from './rng.js';

/** Alternative hypothesis about x relative to y (scipy's wording: 'less' = x stochastically smaller). */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** How the p-value is computed; 'auto' resolves to 'exact' or 'asymptotic' by scipy 1.10.1's rule. */
export type MannWhitneyMethod = 'auto' | 'exact' | 'asymptotic' | 'permutation';

export const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];
export const MANN_WHITNEY_METHODS: readonly MannWhitneyMethod[] = ['auto', 'exact', 'asymptotic', 'permutation'];
/** Resamples for method 'permutation' (scipy.stats.permutation_test's default n_resamples). */
export const DEFAULT_PERMUTATIONS = 9999;

export interface MannWhitneyOptions {
  alternative?: Alternative;
  method?: MannWhitneyMethod;
  /** Continuity correction of ½ in the asymptotic z (default true; no effect on other methods). */
  continuity?: boolean;
  /** Random splits for method 'permutation' (default 9999); all splits are enumerated when there are fewer. */
  permutations?: number;
  /** Seeded generator; required by method 'permutation' unless the splits are enumerated. */
  rng?: Rng;
}

export interface MannWhitneyEffect {
  /** Common-language effect size U1/(n1·n2) = P(X > Y) + ½·P(X = Y): the ROC AUC of x against y. */
  auc: number;
  /** Rank-biserial correlation 2·AUC − 1 (= Cliff's δ), in [−1, 1]. */
  rankBiserial: number;
  /** Median of all pairwise differences x_i − y_j. */
  hodgesLehmann: number;
}

export interface MannWhitneyResult {
  /** U1: the statistic of x, as scipy.stats.mannwhitneyu reports it. */
  statistic: number;
  /** U2 = n1·n2 − U1, the statistic of y. */
  statisticOther: number;
  pvalue: number;
  /** The method actually used ('auto' resolved). */
  method: 'exact' | 'asymptotic' | 'permutation';
  alternative: Alternative;
  /** Whether a continuity correction was applied (only ever by the asymptotic method). */
  continuity: boolean;
  n1: number;
  n2: number;
  effect: MannWhitneyEffect;
  /** Standardised statistic of the asymptotic method (after tie and continuity corrections). */
  z?: number;
  /** Method 'permutation': resamples drawn, or splits enumerated when `enumerated`. */
  permutations?: number;
  enumerated?: boolean;
}
