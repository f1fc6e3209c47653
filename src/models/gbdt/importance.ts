/**
 * Feature importance as xgboost's Booster.get_score computes it (gbtree FeatureScore): over all split
 * nodes, weight = number of splits, total_gain / total_cover = summed loss change / hessian cover,
 * gain / cover = those sums per split. Sums in float32, as xgboost keeps them.
 */
import type { BoosterModel } from './model.js';

export type ImportanceType = 'weight' | 'gain' | 'total_gain' | 'cover' | 'total_cover';
export const IMPORTANCE_TYPES: readonly ImportanceType[] = ['weight', 'gain', 'total_gain', 'cover', 'total_cover'];

/**
 * Importance per feature that is used in at least one split, keyed by feature name (f0, f1, … when the
 * model has no names), in feature order — the same keys and values as `get_score(importance_type=…)`.
 * @example featureImportance(model, 'gain'); // { pages_per_min: 12.3, is_headless: 80.1 }
 */
export function featureImportance(model: BoosterModel, type: ImportanceType = 'weight'): Record<string, number> {
  const counts = new Float64Array(model.numFeature);
  const sums = new Float32Array(model.numFeature);
  const useGain = type === 'gain' || type === 'total_gain';
  for (const t of model.trees) {
    for (let i = 0; i < t.left.length; i++) {
      if (t.left[i] === -1) continue;
      const f = t.feature[i]!;
      counts[f]! += 1;
      if (type !== 'weight') sums[f]! += useGain ? t.lossChange[i]! : t.sumHessian[i]!;
    }
  }
  const out: Record<string, number> = {};
  for (let f = 0; f < model.numFeature; f++) {
    if (counts[f] === 0) continue;
    const name = model.featureNames[f] ?? `f${f}`;
    out[name] = type === 'weight' ? counts[f]! : type === 'gain' || type === 'cover' ? Math.fround(sums[f]! / counts[f]!) : sums[f]!;
  }
  return out;
}
