/**
 * The columns that restate `purchased`, on their own so that reading them does not load the booster
 * (src/distill/purchase-model.ts, imported only when distill fits the purchase booster itself).
 */

/** Columns that restate `purchased` and are never features of the purchase booster. */
export const PURCHASE_OUTCOME_COLUMNS: readonly string[] = ['purchases', 'conversion_rate'];
