/**
 * Headline numbers stated so they cannot be misread: the separability AUC oriented as "the gap predicts
 * agent" (a near-perfect separation reads near 1, not near 0), and p-values below the smallest double
 * printed as a bound with their z instead of "0".
 */
import type { MannWhitneyResult } from '../stats/mann-whitney-types.js';
import { fmt } from './table.js';

/** p-values below this are printed as "< 1e-300": the normal tail underflows long before exact zero. */
export const P_FLOOR = 1e-300;

/**
 * A p-value for people: "< 1e-300 (z = 41.7)" below the double range, else 4 significant digits.
 * @example formatPValue(0, 41.73) // '< 1e-300 (z = 41.73)'
 */
export function formatPValue(p: number, z?: number | null, digits = 4): string {
  if (!Number.isFinite(p)) return '–';
  if (p < P_FLOOR) return `< 1e-300${z !== undefined && z !== null && Number.isFinite(z) ? ` (z = ${z.toFixed(2)})` : ''}`;
  return fmt(p, digits);
}

/**
 * AUC of "the gap score predicts agent": P(agent gap > human gap) + ½·P(tie) = U_agent / (n_human·n_agent),
 * where U_agent = n1·n2 − U_human and U_human is scipy.stats.mannwhitneyu(human, agent).statistic.
 * @example gapAuc(mannWhitneyU(humanGaps, agentGaps)) // 0.93 when agents' gaps are mostly larger
 */
export function gapAuc(t: Pick<MannWhitneyResult, 'statisticOther' | 'n1' | 'n2'>): number {
  return t.statisticOther / (t.n1 * t.n2);
}

/**
 * A p-value in a one-line message: 3 significant digits as before ("0.0100"), the bound below 1e-300.
 * @example pValueInMessage(0.01) // '0.0100'
 */
export function pValueInMessage(p: number, z?: number | null): string {
  return Number.isFinite(p) && p >= P_FLOOR ? p.toPrecision(3) : formatPValue(p, z);
}
