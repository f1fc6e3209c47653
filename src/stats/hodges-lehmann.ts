/**
 * Hodges–Lehmann shift estimate: the median of all n1·n2 pairwise differences x_i − y_j, found without
 * materialising them. Selection in the sorted matrix D[i][c] = x_i − y_(n2−1−c) (ascending along rows and
 * columns): repeatedly take a weighted median of the rows' middle candidates as a pivot, count the
 * differences below / at it with a two-pointer sweep, and discard every candidate on the wrong side. Each
 * round removes a large share of the candidates, so the cost is about O((n1 + n2) log(n1·n2)).
 */

function sortedCopy(v: ArrayLike<number>): Float64Array {
  return Float64Array.from(v).sort();
}

/** Rows sampled for the pivot: the weighted median of at most this many row middles (an even stride). */
const PIVOT_ROWS = 2048;

/**
 * Weighted median (weights = candidates left) of the active rows' middle elements. With many rows only an even
 * stride of them is used: the pivot is still a candidate, so every round discards at least one element, and
 * the sample keeps the rounds at roughly log(n1·n2) without sorting all rows each time.
 */
function weightedMedianOfMiddles(rows: Int32Array, active: number, mids: Float64Array, lo: Int32Array, hi: Int32Array): number {
  const stride = Math.max(1, Math.floor(active / PIVOT_ROWS));
  const pick: number[] = [];
  let weight = 0;
  for (let a = 0; a < active; a += stride) {
    pick.push(rows[a]!);
    weight += hi[rows[a]!]! - lo[rows[a]!]!;
  }
  pick.sort((a, b) => (mids[a]! < mids[b]! ? -1 : mids[a]! > mids[b]! ? 1 : 0));
  let acc = 0;
  for (const i of pick) {
    acc += hi[i]! - lo[i]!;
    if (2 * acc >= weight) return mids[i]!;
  }
  return mids[pick[pick.length - 1]!]!;
}

/** The k-th smallest (0-based) of xs[i] − ys[j], for ascending xs and ys. */
function selectDifference(xs: Float64Array, ys: Float64Array, k: number): number {
  const n1 = xs.length, n2 = ys.length;
  const lo = new Int32Array(n1); // candidate columns of row i are [lo[i], hi[i])
  const hi = new Int32Array(n1).fill(n2);
  const at = (i: number, c: number): number => xs[i]! - ys[n2 - 1 - c]!;
  const rows = new Int32Array(n1);
  const mids = new Float64Array(n1);
  const lt = new Int32Array(n1), le = new Int32Array(n1);
  for (;;) {
    let below = 0, candidates = 0, active = 0;
    for (let i = 0; i < n1; i++) {
      below += lo[i]!;
      const w = hi[i]! - lo[i]!;
      if (w > 0) {
        candidates += w;
        mids[i] = at(i, (lo[i]! + hi[i]!) >> 1);
        rows[active++] = i;
      }
    }
    const rank = k - below;
    if (candidates <= Math.max(64, n1)) {
      const rest = new Float64Array(candidates);
      let r = 0;
      for (let a = 0; a < active; a++) {
        const i = rows[a]!;
        for (let c = lo[i]!; c < hi[i]!; c++) rest[r++] = at(i, c);
      }
      return rest.sort()[rank]!;
    }
    const pivot = weightedMedianOfMiddles(rows, active, mids, lo, hi);
    // lt[i] / le[i]: how many of row i's differences are < / ≤ pivot (a prefix of the row).
    let countLt = 0, countLe = 0;
    for (let i = 0, tLt = 0, tLe = 0; i < n1; i++) {
      const x = xs[i]!;
      while (tLt < n2 && !(x - ys[tLt]! < pivot)) tLt++;
      while (tLe < n2 && !(x - ys[tLe]! <= pivot)) tLe++;
      lt[i] = n2 - tLt;
      le[i] = n2 - tLe;
      countLt += lt[i]!;
      countLe += le[i]!;
    }
    if (k < countLt) for (let i = 0; i < n1; i++) hi[i] = Math.min(hi[i]!, lt[i]!);
    else if (k >= countLe) for (let i = 0; i < n1; i++) lo[i] = Math.max(lo[i]!, le[i]!);
    else return pivot;
  }
}

/**
 * Median of all pairwise differences x_i − y_j (numpy's median: mean of the two middle values when n1·n2 is
 * even). NaN when some difference is undefined (the same infinity in both samples); NaN for empty input.
 *
 * @example hodgesLehmann([5, 6, 7], [1, 2]); // 4.5
 */
export function hodgesLehmann(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const xs = sortedCopy(x), ys = sortedCopy(y);
  const n1 = xs.length, n2 = ys.length;
  if (n1 === 0 || n2 === 0) return NaN;
  const undefinedDiff = (v: number): boolean => (xs[0] === v && ys[0] === v) || (xs[n1 - 1] === v && ys[n2 - 1] === v);
  if (Number.isNaN(xs[n1 - 1]) || Number.isNaN(ys[n2 - 1]) || undefinedDiff(Infinity) || undefinedDiff(-Infinity)) return NaN;
  const total = n1 * n2; // may exceed 2³¹: no bit operations on it
  const half = Math.floor(total / 2);
  const upper = selectDifference(xs, ys, half);
  if (total % 2 === 1) return upper;
  return (selectDifference(xs, ys, half - 1) + upper) / 2;
}
