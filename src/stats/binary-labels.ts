import { DataError } from '../errors.js';

/** Labels and scores checked once, as typed arrays, with the class counts. */
export interface BinaryInput {
  labels: Uint8Array;
  scores: Float64Array;
  positives: number;
  negatives: number;
}

/**
 * Validate 0/1 (or boolean) labels against finite scores of the same length, as scikit-learn's metrics do.
 * `requireBoth` demands at least one member of each class (ROC AUC, DeLong).
 *
 * @example binaryInput([0, 1, 1], [0.2, 0.9, 0.4], 'rocAuc', true).positives; // 2
 */
export function binaryInput(
  y: ArrayLike<number | boolean>, score: ArrayLike<number>, what: string, requireBoth: boolean,
): BinaryInput {
  const n = y.length;
  if (score.length !== n) throw new DataError(`${what}: ${n} labels but ${score.length} scores`);
  if (n === 0) throw new DataError(`${what}: no samples`);
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (v === 1 || v === true) labels[i] = 1;
    else if (v !== 0 && v !== false) throw new DataError(`${what}: label ${i} is ${String(v)}; labels must be 0/1 or booleans`);
    positives += labels[i]!;
    const s = score[i]!;
    if (!Number.isFinite(s)) throw new DataError(`${what}: score ${i} is ${s}; scores must be finite numbers`);
    scores[i] = s;
  }
  const negatives = n - positives;
  if (requireBoth && (positives === 0 || negatives === 0)) {
    throw new DataError(`${what}: only one class present in the labels (${positives} positive, ${negatives} negative); it is undefined`);
  }
  return { labels, scores, positives, negatives };
}

/** Reject probabilities outside [0, 1] (scikit-learn's brier_score_loss and calibration_curve do). */
export function checkProbabilities(p: Float64Array, what: string): void {
  for (let i = 0; i < p.length; i++) {
    if (p[i]! < 0 || p[i]! > 1) throw new DataError(`${what}: probability ${i} is ${p[i]}; it must lie in [0, 1]`);
  }
}
