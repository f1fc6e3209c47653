/**
 * The session feature matrix in memory (docs/contract.md §4): one entry per session, columnar. Numeric features
 * (int, float, bool) are Float64Arrays with NaN for null; category features are dictionary columns.
 * `computeSessionFeatures` produces it, `readSessionsParquet` reads it back, `featureMatrix` turns it
 * into the dense row-major matrix the learners take.
 */
import type { DictColumn } from '../events/table.js';
import type { FeatureSetName, FeatureSpec } from './registry.js';

export interface SessionTable {
  featureSet: FeatureSetName;
  /** the feature columns, in output order */
  features: FeatureSpec[];
  nSessions: number;
  sessionIds: string[];
  experimentIds: (string | null)[];
  /** −1 null, 0 human, 1 agent */
  isAgent: Int8Array;
  /** −1 null, 0/1 (purchases > 0) */
  purchased: Int8Array;
  /** int, float and bool features by name; NaN = null */
  columns: Record<string, Float64Array>;
  /** category features by name (browser_family); code −1 = null */
  categories: Record<string, DictColumn>;
  /** the first non-null `site` of each session's events (null without a site column); written after the features */
  site?: (string | null)[];
  /** UTC date (YYYY-MM-DD) of each session's first event; written after the features */
  sessionDate?: (string | null)[];
  /** pass-through label columns (`export --labels` extras such as `kind`), never features; label-columns.ts */
  labelColumns?: Record<string, (string | null)[]>;
}

/**
 * The numeric column of a feature; a table without it breaks the contract that `features` lists its
 * columns: an Error naming the feature.
 * @example const gaps = featureColumn(table, 'mean_gap_s')
 */
export function featureColumn(t: Pick<SessionTable, 'columns'>, name: string): Float64Array {
  const v = t.columns[name];
  if (v === undefined) throw new Error(`session table: no numeric column for feature ${name}`);
  return v;
}

/**
 * The dictionary column of a category feature (an Error naming it when the table lacks it).
 * @example const family = featureCategory(table, 'browser_family')
 */
export function featureCategory(t: Pick<SessionTable, 'categories'>, name: string): DictColumn {
  const c = t.categories[name];
  if (c === undefined) throw new Error(`session table: no category column for feature ${name}`);
  return c;
}

/**
 * Row `rowOf[k]` of table `parts[partOf[k]]` for every k: concatenation, selection and interleaving in
 * one gather (category dictionaries are merged). All parts share the template's feature columns.
 * @example pickSessions([a, b], Int32Array.of(0, 1), Int32Array.of(3, 0), a) // a's row 3, then b's row 0
 */
export function pickSessions(parts: readonly SessionTable[], partOf: Int32Array, rowOf: Int32Array, template: Pick<SessionTable, 'featureSet' | 'features'>): SessionTable {
  const n = partOf.length;
  const columns: Record<string, Float64Array> = {};
  const categories: Record<string, DictColumn> = {};
  for (const f of template.features) {
    if (f.dtype === 'category') {
      const dict: string[] = [];
      const sources = parts.map((p) => featureCategory(p, f.name));
      const remaps = sources.map((c) => c.dict.map((v) => {
        const g = dict.indexOf(v);
        return g >= 0 ? g : dict.push(v) - 1;
      }));
      const codes = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        const c = sources[partOf[k]!]!.codes[rowOf[k]!]!;
        codes[k] = c < 0 ? -1 : remaps[partOf[k]!]![c]!;
      }
      categories[f.name] = { codes, dict };
    } else {
      const v = new Float64Array(n);
      const srcs = parts.map((p) => featureColumn(p, f.name));
      for (let k = 0; k < n; k++) v[k] = srcs[partOf[k]!]![rowOf[k]!]!;
      columns[f.name] = v;
    }
  }
  const isAgent = new Int8Array(n), purchased = new Int8Array(n);
  const sessionIds = new Array<string>(n), experimentIds = new Array<string | null>(n);
  const keepSite = parts.every((p) => p.site !== undefined), keepDate = parts.every((p) => p.sessionDate !== undefined);
  const site = new Array<string | null>(keepSite ? n : 0), sessionDate = new Array<string | null>(keepDate ? n : 0);
  for (let k = 0; k < n; k++) {
    const p = parts[partOf[k]!]!, r = rowOf[k]!;
    isAgent[k] = p.isAgent[r]!;
    purchased[k] = p.purchased[r]!;
    sessionIds[k] = p.sessionIds[r]!;
    experimentIds[k] = p.experimentIds[r]!;
    if (keepSite) site[k] = p.site![r]!;
    if (keepDate) sessionDate[k] = p.sessionDate![r]!;
  }
  return {
    featureSet: template.featureSet, features: template.features, nSessions: n, sessionIds, experimentIds, isAgent, purchased, columns, categories,
    ...(keepSite ? { site } : {}), ...(keepDate ? { sessionDate } : {}),
  };
}
