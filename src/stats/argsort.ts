/**
 * Stable ascending argsort over any numeric array-like. NaN is not ordered: callers reject it first.
 *
 * @example argsort([3, 1, 2]); // Uint32Array [1, 2, 0]
 */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const v = values instanceof Float64Array ? values : Float64Array.from(values);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Comparisons (not subtraction) so that ±Infinity ties compare equal; index breaks ties → stable.
  idx.sort((a, b) => {
    const va = v[a]!, vb = v[b]!;
    return va < vb ? -1 : va > vb ? 1 : a - b;
  });
  return idx;
}
