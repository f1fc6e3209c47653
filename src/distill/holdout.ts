/**
 * The held-out split on which the student's fidelity is measured: a seeded shuffle, the first
 * round(n·testSize) rows held out. Both index lists are returned in ascending row order, so the student
 * sees its training rows in file order.
 */
import { UsageError } from '../errors.js';
import type { Rng } from '../stats/rng.js';

export interface Holdout {
  testSize: number;
  train: Int32Array;
  test: Int32Array;
}

/**
 * Split rows 0..n−1 (or the given candidate rows) into train and test.
 * A positive testSize holds out at least one row and keeps at least one for training.
 * @example const { train, test } = holdoutSplit(1000, 0.2, createRng(42)); // 800 / 200 rows
 */
export function holdoutSplit(rows: number | Int32Array, testSize: number, rng: Rng): Holdout {
  if (!(testSize >= 0 && testSize < 1)) throw new UsageError(`--test-size must be in [0, 1), got ${testSize}`);
  const order = typeof rows === 'number' ? Int32Array.from({ length: rows }, (_, i) => i) : Int32Array.from(rows);
  const n = order.length;
  let nTest = Math.round(n * testSize);
  if (testSize > 0) nTest = Math.min(Math.max(nTest, 1), n - 1);
  if (nTest <= 0) return { testSize, train: order, test: new Int32Array(0) };
  for (let i = n - 1; i > 0; i--) { // Fisher–Yates
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return { testSize, test: order.slice(0, nTest).sort(), train: order.slice(nTest).sort() };
}
