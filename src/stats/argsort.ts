/**
 * Stable ascending argsort of numeric values. Large inputs use an LSD radix sort on the IEEE-754 bits
 * (4 passes of 16 bits over order-preserving integer keys, or 6 of 11 bits below 2^18 values), about 10×
 * faster than a comparator sort at 1e6 values; values that are all float32 sort on 32-bit keys (3 passes of 11
 * bits); small inputs use the comparator. −0 and 0 are one key; NaN is not ordered (callers reject it).
 */

const RADIX_MIN = 1024;
const LITTLE_ENDIAN = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f;

function comparatorArgsort(v: ArrayLike<number>): Uint32Array {
  const n = v.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  // Comparisons (not subtraction) so that equal infinities compare equal; the index breaks ties → stable.
  idx.sort((a, b) => {
    const va = v[a]!, vb = v[b]!;
    return va < vb ? -1 : va > vb ? 1 : a - b;
  });
  return idx;
}

/** Reusable buffers for argsortFloat64 (one set per caller, sized for its largest input). */
export interface ArgsortScratch {
  keys: Float64Array;
  hi: Uint32Array;
  lo: Uint32Array;
  idx: Uint32Array;
  tmp: Uint32Array;
}

/**
 * Buffers for sorting up to `capacity` values with argsortFloat64, so that sorting many columns allocates once.
 * @example const scratch = createArgsortScratch(n);
 */
export function createArgsortScratch(capacity: number): ArgsortScratch {
  const keys = new Float64Array(Math.max(1, capacity));
  return { keys, hi: new Uint32Array(capacity), lo: new Uint32Array(capacity), idx: new Uint32Array(capacity), tmp: new Uint32Array(capacity) };
}

/** Order-preserving 64-bit keys as (high, low) 32-bit words: flip all bits of negatives, the sign bit of the rest. */
function sortableKeys(values: ArrayLike<number>, s: ArgsortScratch): void {
  const n = values.length;
  const f = s.keys, hi = s.hi, lo = s.lo;
  for (let i = 0; i < n; i++) f[i] = values[i]! === 0 ? 0 : values[i]!;
  const words = new Uint32Array(f.buffer, 0, 2 * n);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1]!, l = words[2 * i]!;
    const negative = h >>> 31 === 1;
    hi[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    lo[i] = negative ? ~l >>> 0 : l;
  }
}

/**
 * Indices that sort `values` ascending; equal values keep their input order.
 *
 * @example argsort([3, 1, 2]); // Uint32Array [1, 2, 0]
 */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN) return comparatorArgsort(values);
  return radixArgsort(values, createArgsortScratch(n)).slice();
}

/**
 * argsort using (and returning a view into) `scratch`: the result is valid until the next call with it.
 * @example const perm = argsortFloat64(column.subarray(0, n), scratch);
 */
export function argsortFloat64(values: Float64Array, scratch: ArgsortScratch): Uint32Array {
  if (values.length < RADIX_MIN || !LITTLE_ENDIAN) return comparatorArgsort(values);
  return radixArgsort(values, scratch);
}

// Each loop below sits in a function of its own, with nothing after it: V8 compiles a hot loop on the fly (OSR) and
// reuses that code on every later call, so code after a loop that had not run yet when it was compiled deoptimised
// on each call (~40 per distill run) and the rest of the sort ran unoptimised, allocating a heap number per value.
function radixArgsort(values: ArrayLike<number>, s: ArgsortScratch): Uint32Array {
  const n = values.length;
  const idx = s.idx.subarray(0, n), tmp = s.tmp.subarray(0, n);
  fillIdentity(idx);
  if (float32Keys(values, s)) return radix11x32(s.hi.subarray(0, n), idx, tmp);
  sortableKeys(values, s);
  const hi = s.hi.subarray(0, n), lo = s.lo.subarray(0, n);
  return n < RADIX16_MIN ? radix11(hi, lo, idx, tmp) : radix16(hi, lo, idx, tmp);
}

function fillIdentity(idx: Uint32Array): void {
  for (let i = 0; i < idx.length; i++) idx[i] = i;
}

/**
 * When every value is a float32 (features written as float32, counts, prices in cents…), 32-bit keys order them
 * exactly as the 64-bit ones do, in three passes instead of six: fills s.hi and returns true, else false.
 */
function float32Keys(values: ArrayLike<number>, s: ArgsortScratch): boolean {
  const n = values.length;
  if (!allFloat32(values)) return false;
  const f = new Float32Array(s.keys.buffer, 0, n), words = new Uint32Array(s.keys.buffer, 0, n);
  toFloat32(values, f);
  orderedWords(words, s.hi);
  return true;
}

function allFloat32(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (Math.fround(values[i]!) !== values[i]!) return false;
  return true;
}

/** −0 as 0, so both get one key. */
function toFloat32(values: ArrayLike<number>, f: Float32Array): void {
  for (let i = 0; i < f.length; i++) f[i] = values[i]! === 0 ? 0 : values[i]!;
}

/** float32 bits → unsigned keys in the same order: flip all bits of negatives, the sign bit of the rest. */
function orderedWords(words: Uint32Array, hi: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const h = words[i]!;
    hi[i] = h >>> 31 === 1 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
}

/** LSD radix sort of 32-bit keys on three digits (bits 0–10, 11–21, 22–31). */
function radix11x32(keys: Uint32Array, idx: Uint32Array, tmp: Uint32Array): Uint32Array {
  const n = keys.length, B = 2048;
  const counts = new Uint32Array(3 * B);
  countDigits32(keys, counts);
  const offsets = new Uint32Array(B);
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * B, shift = pass * 11;
    if (counts[base + ((keys[0]! >>> shift) & 2047)] === n) continue; // every key shares this digit
    let sum = 0;
    for (let d = 0; d < B; d++) { offsets[d] = sum; sum += counts[base + d]!; }
    scatterDigit(keys, idx, tmp, offsets, shift);
    const t = idx; idx = tmp; tmp = t;
  }
  return idx;
}

/** Counts of the three 11-bit digits of every key (one pass for all three). */
function countDigits32(keys: Uint32Array, counts: Uint32Array): void {
  const B = 2048;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    counts[k & 2047]!++; counts[B + ((k >>> 11) & 2047)]!++; counts[2 * B + (k >>> 22)]!++;
  }
}

/** One stable LSD pass: idx in key-digit order into tmp, offsets = the digit's first free slot. */
function scatterDigit(keys: Uint32Array, idx: Uint32Array, tmp: Uint32Array, offsets: Uint32Array, shift: number): void {
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i]!;
    tmp[offsets[(keys[j]! >>> shift) & 2047]!++] = j;
  }
}

/** Below this many values, six passes of 11-bit digits (2,048 counters, one counting pass for all six) beat
 * four of 16 bits, whose 65,536 counters cost more to clear and sum than the values do (measured 2–4× at 1k–20k). */
const RADIX16_MIN = 1 << 18;

function radix16(hi: Uint32Array, lo: Uint32Array, idx: Uint32Array, tmp: Uint32Array): Uint32Array {
  const n = hi.length;
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((words[i]! >>> shift) & 0xffff) + 1]!++;
    if (counts[((words[0]! >>> shift) & 0xffff) + 1] === n) continue; // every key shares this digit
    for (let d = 1; d <= 65536; d++) counts[d]! += counts[d - 1]!;
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      tmp[counts[(words[j]! >>> shift) & 0xffff]!++] = j;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}

/** LSD radix sort on six digits (bits 0–10, 11–21, 22–31 of the low word, then of the high word). */
function radix11(hi: Uint32Array, lo: Uint32Array, idx: Uint32Array, tmp: Uint32Array): Uint32Array {
  const n = hi.length, B = 2048;
  const counts = new Uint32Array(6 * B);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!, h = hi[i]!;
    counts[l & 2047]!++; counts[B + ((l >>> 11) & 2047)]!++; counts[2 * B + (l >>> 22)]!++;
    counts[3 * B + (h & 2047)]!++; counts[4 * B + ((h >>> 11) & 2047)]!++; counts[5 * B + (h >>> 22)]!++;
  }
  const offsets = new Uint32Array(B);
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * B;
    const words = pass < 3 ? lo : hi, shift = (pass % 3) * 11;
    if (counts[base + ((words[0]! >>> shift) & 2047)] === n) continue; // every key shares this digit
    let sum = 0;
    for (let d = 0; d < B; d++) { offsets[d] = sum; sum += counts[base + d]!; }
    for (let i = 0; i < n; i++) {
      const j = idx[i]!;
      tmp[offsets[(words[j]! >>> shift) & 2047]!++] = j;
    }
    [idx, tmp] = [tmp, idx];
  }
  return idx;
}
