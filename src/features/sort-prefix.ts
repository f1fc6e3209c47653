/**
 * Sort a[0, n) ascending in place: insertion sort for the short runs typical of one session (no
 * subarray object, no call into the runtime), the built-in typed-array sort otherwise. No NaN expected.
 */
const INSERTION_MAX = 24;

/** @example const a = Float64Array.of(3, 1, 2, 9); sortPrefix(a, 3); // a = [1, 2, 3, 9] */
export function sortPrefix(a: Float64Array, n: number): void {
  if (n > INSERTION_MAX) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}
