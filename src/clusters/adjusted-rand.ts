/** Adjusted Rand index (Hubert & Arabie 1985), the agreement of two partitions corrected for chance. */

const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * ARI of two labelings of the same items (any integer labels; negative labels are left out of both).
 * @example adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]) // 1
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`labelings differ in length (${a.length} and ${b.length})`);
  const table = new Map<string, number>(), rows = new Map<number, number>(), cols = new Map<number, number>();
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < 0 || b[i]! < 0) continue;
    n++;
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  let index = 0, sumA = 0, sumB = 0;
  for (const x of table.values()) index += pairs(x);
  for (const x of rows.values()) sumA += pairs(x);
  for (const x of cols.values()) sumB += pairs(x);
  const expected = (sumA * sumB) / pairs(n), max = (sumA + sumB) / 2;
  // both partitions trivial (one cluster each, or all singletons): sklearn's convention is 1
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
