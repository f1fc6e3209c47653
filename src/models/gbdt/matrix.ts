/**
 * The dense feature matrix every learner takes (GBDT, CART as `DenseMatrix`, `featureMatrix` and
 * `encodeTable` produce it): row-major Float64Array, NaN = missing.
 * Values are compared in float32 by the trees (as xgboost's DMatrix stores them), so the learners
 * convert once with `toFloat32Values`.
 */
import { UsageError } from '../../errors.js';

/** Dense row-major matrix; `values[r * nCols + c]`, NaN marks a missing value. */
export interface FeatureMatrix {
  nRows: number;
  nCols: number;
  values: Float64Array;
  featureNames: string[];
}

/** Whether no name repeats (pairwise for the few columns of a served session: no Set per prediction). */
function namesUnique(names: readonly string[]): boolean {
  if (names.length > 64) return new Set(names).size === names.length;
  for (let i = 1; i < names.length; i++) for (let j = 0; j < i; j++) if (names[i] === names[j]) return false;
  return true;
}

/**
 * Check the matrix is well formed (sizes agree, names unique); throws a UsageError naming every problem.
 * @example checkMatrix({ nRows: 1, nCols: 1, values: new Float64Array([0]), featureNames: ['a'] }, 'X');
 */
export function checkMatrix(X: FeatureMatrix, what: string): void {
  const problems: string[] = [];
  if (!Number.isInteger(X.nRows) || X.nRows < 0) problems.push(`nRows is ${X.nRows}`);
  if (!Number.isInteger(X.nCols) || X.nCols < 1) problems.push(`nCols is ${X.nCols}; at least one feature is needed`);
  if (X.values.length !== X.nRows * X.nCols) problems.push(`values has ${X.values.length} entries, expected nRows·nCols = ${X.nRows * X.nCols}`);
  if (X.featureNames.length !== X.nCols) problems.push(`${X.featureNames.length} feature names for ${X.nCols} columns`);
  if (!namesUnique(X.featureNames)) problems.push('feature names are not unique');
  if (problems.length > 0) throw new UsageError(`${what}: ${problems.join('; ')}`);
}

/**
 * Values rounded to float32 (xgboost's storage type). With `rejectInfinite`, a value that is ±Infinity
 * (or overflows float32) throws a UsageError naming its row and feature — training cuts need finite values.
 * With `shared`, the values live in a SharedArrayBuffer (for helper threads).
 * @example toFloat32Values(X, true)
 */
export function toFloat32Values(X: FeatureMatrix, rejectInfinite: boolean, shared = false): Float32Array {
  // `shared`: in a SharedArrayBuffer, so helper threads read it without a copy (set rounds as from() does)
  const out = shared ? new Float32Array(new SharedArrayBuffer(4 * X.values.length)) : Float32Array.from(X.values);
  if (shared) out.set(X.values);
  if (rejectInfinite) {
    for (let i = 0; i < out.length; i++) {
      const v = out[i]!;
      if (v === Infinity || v === -Infinity) {
        const r = Math.floor(i / X.nCols);
        throw new UsageError(`feature '${X.featureNames[i % X.nCols]}' row ${r} is ${X.values[i]}: training needs finite values or NaN (missing)`);
      }
    }
  }
  return out;
}

/**
 * A new matrix holding the named columns in the given order (to line a model's features up with data).
 * Throws a UsageError listing every missing name.
 * @example selectColumns(X, model.featureNames)
 */
export function selectColumns(X: FeatureMatrix, names: readonly string[]): FeatureMatrix {
  const index = new Map(X.featureNames.map((n, i) => [n, i] as const));
  const missing = names.filter((n) => !index.has(n));
  if (missing.length > 0) throw new UsageError(`the data lacks features the model needs: ${missing.join(', ')}`);
  const cols = Int32Array.from(names, (n) => index.get(n)!);
  const k = cols.length;
  const values = new Float64Array(X.nRows * k);
  for (let r = 0; r < X.nRows; r++) {
    const src = r * X.nCols, dst = r * k;
    for (let j = 0; j < k; j++) values[dst + j] = X.values[src + cols[j]!]!;
  }
  return { nRows: X.nRows, nCols: k, values, featureNames: [...names] };
}
