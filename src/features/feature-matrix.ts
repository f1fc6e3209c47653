/**
 * The session table as the dense matrix the learners take (src/models: `{ nRows, nCols, values,
 * featureNames }`, row-major Float64Array, NaN = missing). Category features are one-hot encoded
 * (`browser_family=Chrome`, …) over a fixed list of levels, so training and scoring files agree on the
 * columns even when a level is absent from one of them.
 */
import { BROWSER_FAMILIES } from './registry.js';
import type { FeatureMatrix } from '../models/gbdt/matrix.js';
import { featureCategory, featureColumn, type SessionTable } from './session-table.js';

/** The learners' one feature matrix (src/models/gbdt/matrix.ts), under the name this module has exported. */
export type DenseFeatureMatrix = FeatureMatrix;

/** Fixed levels of known category features; others use the file's dictionary. */
const LEVELS: Record<string, readonly string[]> = { browser_family: BROWSER_FAMILIES };

export interface FeatureMatrixOptions {
  /** only these features (in this order; one-hot columns of a category are selected by its name) */
  features?: readonly string[];
  /** `one-hot` (default) or `drop` the category features */
  categorical?: 'one-hot' | 'drop';
}

/**
 * Dense row-major matrix of a session table's features (labels and ids excluded).
 * @example
 *   const X = featureMatrix(await readSessionsParquet('sessions.parquet'));
 *   X.values[r * X.nCols + X.featureNames.indexOf('interaction_velocity')];
 */
export function featureMatrix(t: SessionTable, opts: FeatureMatrixOptions = {}): DenseFeatureMatrix {
  const chosen = opts.features ?? t.features.map((f) => f.name);
  const sources: { name: string; read: (s: number) => number }[] = [];
  for (const name of chosen) {
    const spec = t.features.find((f) => f.name === name);
    if (spec === undefined) throw new Error(`featureMatrix: the table has no feature ${name}`);
    if (spec.dtype !== 'category') {
      const v = featureColumn(t, name);
      sources.push({ name, read: (s) => v[s]! });
    } else if (opts.categorical !== 'drop') {
      const col = featureCategory(t, name);
      for (const level of LEVELS[name] ?? col.dict) {
        const code = col.dict.indexOf(level);
        sources.push({ name: `${name}=${level}`, read: (s) => (col.codes[s]! < 0 ? NaN : col.codes[s] === code ? 1 : 0) });
      }
    }
  }
  const nRows = t.nSessions, nCols = sources.length;
  const values = new Float64Array(nRows * nCols);
  sources.forEach((src, c) => {
    for (let r = 0; r < nRows; r++) values[r * nCols + c] = src.read(r);
  });
  return { nRows, nCols, values, featureNames: sources.map((s) => s.name) };
}
