/**
 * Exponentially smoothed per-product series (the "recent" proxy, views and purchases policies use):
 * s ← (1 − λ)·s + λ·x, starting at the first observation.
 */
export interface Smoothed {
  readonly values: Float64Array;
  /** true once one observation has been added */
  ready: boolean;
  add(x: ArrayLike<number>): void;
}

/** @example const q = smoothed(n, 0.3); q.add(view.proxy); q.values[i] */
export function smoothed(n: number, lambda: number): Smoothed {
  const values = new Float64Array(n);
  const s: Smoothed = {
    values,
    ready: false,
    add(x) {
      if (!s.ready) {
        for (let i = 0; i < n; i++) values[i] = x[i]!;
        s.ready = true;
        return;
      }
      for (let i = 0; i < n; i++) values[i] = (1 - lambda) * values[i]! + lambda * x[i]!;
    },
  };
  return s;
}
