/**
 * The §3 features of one live session, computed by the batch kernels (`computeSessionFeatures`) over the
 * session's own columns — so `/v1/sessions/{id}/score` reports exactly what `phantom features` computes
 * for the same events, with the same feature set, timeout and fill policy.
 */
import { computeSessionFeatures } from '../features/compute.js';
import type { FeatureSetName } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';
import type { SessionBuffer } from './session-buffer.js';

export interface FeatureSettings {
  featureSet: FeatureSetName;
  timeoutSec: number;
  /** `--fill-missing` of the data the model was trained on; null keeps nulls */
  fillMissing: number | null;
}

/**
 * One-row session table for a live session.
 * @example const table = liveSessionFeatures(buffer, { featureSet: 'default', timeoutSec: 900, fillMissing: null })
 */
export function liveSessionFeatures(buffer: SessionBuffer, s: FeatureSettings): SessionTable {
  return computeSessionFeatures(buffer.featureEvents(), { featureSet: s.featureSet, timeoutSec: s.timeoutSec, fillMissing: s.fillMissing, priceLogs: null }).table;
}

/** Feature values by name, as JSON: numbers (null for missing), booleans, and category labels. */
export function featuresJson(table: SessionTable, row = 0): Record<string, number | boolean | string | null> {
  const out: Record<string, number | boolean | string | null> = {};
  for (const f of table.features) {
    if (f.dtype === 'category') {
      const c = table.categories[f.name]!;
      const code = c.codes[row]!;
      out[f.name] = code < 0 ? null : c.dict[code]!;
      continue;
    }
    const v = table.columns[f.name]![row]!;
    out[f.name] = Number.isNaN(v) ? null : f.dtype === 'bool' ? v === 1 : v;
  }
  return out;
}
