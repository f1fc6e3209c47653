/**
 * The §3 features of one live session, computed by the batch kernels (`computeSessionFeatures`) over the
 * session's own columns — so `/v1/sessions/{id}/score` reports exactly what `phantom features` computes
 * for the same events, with the same feature set, timeout and fill policy.
 */
import { computeSessionFeatures } from '../features/compute.js';
import type { FeatureSetName } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';
import type { DataColumn, DataTable } from '../models/dataset/index.js';
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

/**
 * A session table as the learners' generic table (what `phantom predict` reads from sessions.parquet):
 * int, float and bool features numeric (bool flagged), category features as dictionary columns.
 * @example modelMatrix(sessionDataTable(table), model, meta)
 */
export function sessionDataTable(table: SessionTable): DataTable {
  const columns: DataColumn[] = table.features.map((f): DataColumn => (f.dtype === 'category'
    ? { name: f.name, kind: 'category', codes: table.categories[f.name]!.codes, dict: table.categories[f.name]!.dict }
    : { name: f.name, kind: 'numeric', values: table.columns[f.name]!, boolean: f.dtype === 'bool' }));
  return { nRows: table.nSessions, columns, metadata: {}, skipped: [] };
}
