/**
 * Sort doubles ascending in place, as `Float64Array.prototype.sort` does, by an LSD radix sort on the high
 * 32 bits of order-preserving keys (three passes of 11, 11 and 10 bits, their counts taken in one read; a
 * pass whose digit is the same for every value is skipped), then the built-in sort on each run of values that
 * share those bits (rare for measured data; none when every low word is zero, as for integers): ≈ 2.5× less
 * CPU than the built-in sort at 10^5 values, which the leakage audit sorts 80 times per fit. −0 sorts before
 * 0, as the built-in sort puts it; NaN must not occur (callers remove it). Small arrays use the built-in sort.
 */

const RADIX_MIN = 2048;
const BUCKETS = 2048;
/** Digits of the high word: bits 0–10, 11–21, 22–31. */
const SHIFTS = [0, 11, 22] as const;

/**
 * Sort `a` ascending in place and return it (bit-identical to `a.sort()` for NaN-free input).
 * @example sortFloat64(Float64Array.of(3, -1, 0.5)); // Float64Array [-1, 0.5, 3]
 */
export function sortFloat64(a: Float64Array, scratch?: Uint32Array): Float64Array {
  const n = a.length;
  if (n < RADIX_MIN || (a.byteOffset & 7) !== 0) return a.sort();
  const u = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const count = new Uint32Array(SHIFTS.length * BUCKETS);
  const lowBits = keysAndCounts(u, count);
  const tmp = scratch !== undefined && scratch.length >= 2 * n ? scratch.subarray(0, 2 * n) : new Uint32Array(2 * n);
  let src = u, dst = tmp;
  for (let d = 0; d < SHIFTS.length; d++) {
    if (!radixPass(src, dst, count.subarray(d * BUCKETS, (d + 1) * BUCKETS), SHIFTS[d]!)) continue;
    const t = src; src = dst; dst = t;
  }
  if (src !== u) u.set(src);
  fromKeys(u);
  if (lowBits !== 0) sortTies(a, u);
  return a;
}

// Each loop is its own small function, so V8 optimises it as a whole function: one function holding every
// loop was compiled loop by loop on stack replacement, and that code was dropped at each loop's exit.

/**
 * Turn the doubles into order-preserving keys — flip every bit of a negative, only the sign bit of a positive
 * (little-endian: the high word second) — and count every digit of every high word. Returns the OR of the
 * low words of the doubles (0: equal high words are equal values).
 */
function keysAndCounts(u: Uint32Array, count: Uint32Array): number {
  let lowBits = 0;
  for (let i = 0; i < u.length; i += 2) {
    let hi = u[i + 1]!;
    const lo = u[i]!;
    lowBits |= lo;
    if (hi & 0x80000000) { hi = ~hi >>> 0; u[i] = ~lo; } else hi = (hi ^ 0x80000000) >>> 0;
    u[i + 1] = hi;
    count[hi & 0x7ff]!++;
    count[BUCKETS + ((hi >>> 11) & 0x7ff)]!++;
    count[2 * BUCKETS + (hi >>> 22)]!++;
  }
  return lowBits;
}

/** The doubles back from their keys. */
function fromKeys(u: Uint32Array): void {
  for (let i = 1; i < u.length; i += 2) {
    const hi = u[i]!;
    if (hi & 0x80000000) u[i] = hi ^ 0x80000000; else { u[i] = ~hi; u[i - 1] = ~u[i - 1]!; }
  }
}

/**
 * One stable counting pass on the high word's digit at `shift` (11 bits, or the 10 left at 22) of each key
 * (pairs of words), src → dst, `count` holding that digit's counts. False (dst untouched) when every key has
 * the same digit.
 */
function radixPass(src: Uint32Array, dst: Uint32Array, count: Uint32Array, shift: number): boolean {
  const m = src.length;
  if (count[(src[1]! >>> shift) & 0x7ff] === m >> 1) return false;
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) { const c = count[b]!; count[b] = sum; sum += c; }
  for (let i = 0; i < m; i += 2) {
    const k = 2 * count[(src[i + 1]! >>> shift) & 0x7ff]!++;
    dst[k] = src[i]!;
    dst[k + 1] = src[i + 1]!;
  }
  return true;
}

/** Values ordered by their high words: sort each run of equal high words (one sign, so by value) with the built-in sort. */
function sortTies(a: Float64Array, u: Uint32Array): void {
  const n = a.length;
  for (let i = 0; i < n;) {
    const hi = u[2 * i + 1]!;
    let j = i + 1;
    while (j < n && u[2 * j + 1] === hi) j++;
    if (j - i > 1) a.subarray(i, j).sort();
    i = j;
  }
}
