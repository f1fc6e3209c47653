/**
 * Feature importance as one table: gain, cover and weight per feature (xgboost's get_score definitions,
 * from src/models/gbdt), ordered by gain, with each feature's share of the total gain.
 */
import { featureImportance } from '../gbdt/importance.js';
import type { BoosterModel } from '../gbdt/model.js';

export interface ImportanceRow {
  feature: string;
  /** mean loss reduction per split */
  gain: number;
  /** mean hessian cover per split */
  cover: number;
  /** number of splits */
  weight: number;
  /** share of the model's total gain, in [0, 1] */
  gainShare: number;
}

/**
 * Features used by the model, highest gain first (ties: more splits, then name); `top` rows at most.
 * @example importanceTable(model, 20)[0].feature;
 */
export function importanceTable(model: BoosterModel, top = Infinity): ImportanceRow[] {
  const gain = featureImportance(model, 'gain'), cover = featureImportance(model, 'cover');
  const weight = featureImportance(model, 'weight'), total = featureImportance(model, 'total_gain');
  let sum = 0;
  for (const v of Object.values(total)) sum += v;
  const rows = Object.keys(weight).map((f): ImportanceRow => ({
    feature: f, gain: gain[f] ?? 0, cover: cover[f] ?? 0, weight: weight[f]!, gainShare: sum > 0 ? (total[f] ?? 0) / sum : 0,
  }));
  rows.sort((a, b) => b.gain - a.gain || b.weight - a.weight || (a.feature < b.feature ? -1 : 1));
  return rows.slice(0, top);
}
