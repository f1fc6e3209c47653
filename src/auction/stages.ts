/**
 * Customer lifecycle stages and their effects (docs/auction.md, "Customers"), defined once.
 * Rule, first match: inactive > 30 days → churn_risk; > 2 purchases → retention; > 0 purchases →
 * purchase; cart value > 0 → consideration; > 3 recent visits → interest; else awareness.
 */

export const STAGES = ['awareness', 'interest', 'consideration', 'purchase', 'retention', 'churn_risk'] as const;
export type StageName = (typeof STAGES)[number];
export const AWARENESS = 0, INTEREST = 1, CONSIDERATION = 2, PURCHASE = 3, RETENTION = 4, CHURN_RISK = 5;

/** CTR multiplier by stage (order of STAGES). */
export const STAGE_CTR = Float64Array.of(0.8, 1.2, 1.5, 0.9, 1.1, 1.3);
/** conversion-propensity multiplier by stage: ×2 in consideration, ×1.5 in churn_risk */
export const STAGE_CONVERSION = Float64Array.of(1, 1, 2, 1, 1, 1.5);
/** conversion value multiplier by stage: ×1.5 in retention, ×2 in churn_risk */
export const STAGE_VALUE = Float64Array.of(1, 1, 1, 1, 1.5, 2);

/**
 * The stage of a customer from its state.
 * @example stageOf(0, 2, 0, 1) // PURCHASE
 */
export function stageOf(inactiveDays: number, purchases: number, cartValue: number, recentVisits: number): number {
  if (inactiveDays > 30) return CHURN_RISK;
  if (purchases > 2) return RETENTION;
  if (purchases > 0) return PURCHASE;
  if (cartValue > 0) return CONSIDERATION;
  if (recentVisits > 3) return INTEREST;
  return AWARENESS;
}
