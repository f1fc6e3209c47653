/**
 * A training-data fingerprint: SHA-256 over the feature names, the matrix as float64 bytes (NaN
 * canonicalised) and the labels, so a model records exactly what it was fitted on and `evaluate` can tell
 * when it is shown its own training data.
 */
import { createHash } from 'node:crypto';
import type { FeatureMatrix } from '../gbdt/matrix.js';

export interface DataFingerprint {
  /** hex SHA-256 */
  sha256: string;
  rows: number;
  features: number;
  positives: number;
}

/**
 * @example dataFingerprint(X, y).sha256; // '3f1c…'
 */
export function dataFingerprint(X: FeatureMatrix, y: ArrayLike<number>): DataFingerprint {
  const h = createHash('sha256');
  h.update(JSON.stringify(X.featureNames));
  const chunk = new Float64Array(Math.min(X.values.length, 65_536));
  for (let off = 0; off < X.values.length; off += chunk.length) {
    const n = Math.min(chunk.length, X.values.length - off);
    for (let i = 0; i < n; i++) {
      const v = X.values[off + i]!;
      chunk[i] = v === v ? v : NaN; // one NaN bit pattern
    }
    h.update(new Uint8Array(chunk.buffer, 0, n * 8));
  }
  const labels = Uint8Array.from(y);
  h.update(labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] === 1 ? 1 : 0;
  return { sha256: h.digest('hex'), rows: X.nRows, features: X.nCols, positives };
}
