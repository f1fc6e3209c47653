/**
 * xgboost's weighted quantile sketch (WQuantileSketch<float, float>, src/common/quantile.h), ported so
 * phantom's bins equal xgboost 1.7's: values stream in row order into a queue of 2·limit entries; a full
 * queue becomes an exact summary that is pruned and merged up a tower of levels. Rank arithmetic is
 * float32, as in the original. Unit weights only (phantom has no sample weights). A SketchScratch lets one
 * thread's sketches reuse their buffers from column to column (fresh arrays per queue were megabytes of
 * garbage per column, the trainer's peak memory); the arithmetic is the same with or without one.
 */

/** WQSummary: sorted distinct values with rank bounds [rmin, rmax] and own weight wmin. */
export interface Summary {
  value: Float32Array;
  rmin: Float64Array;
  rmax: Float64Array;
  wmin: Float64Array;
  size: number;
}

const f32 = Math.fround;

function emptySummary(capacity: number): Summary {
  return { value: new Float32Array(capacity), rmin: new Float64Array(capacity), rmax: new Float64Array(capacity), wmin: new Float64Array(capacity), size: 0 };
}

/** `out` emptied, with room for `capacity` entries. */
function cleared(out: Summary, capacity: number): Summary {
  if (out.value.length < capacity) Object.assign(out, emptySummary(capacity));
  out.size = 0;
  return out;
}

/**
 * Buffers that one thread's sketches reuse (sketchColumn, and the pruning after it in binning.ts): two
 * work summaries (each step reads at most one of them and writes the other), one per level of the tower,
 * the sorted queue and a column of values. What a function returned from a scratch is valid until the
 * scratch's next use.
 * @example const scratch = new SketchScratch(); for (const col of columns) use(sketchColumn(col, 256, scratch));
 */
export class SketchScratch {
  private readonly work = [emptySummary(0), emptySummary(0)];
  private readonly levels: Summary[] = [];
  private queue = new Float32Array(0);
  private column = new Float32Array(0);

  /** An emptied work summary with room for `capacity` entries that is not `live` (which stays intact). */
  spare(capacity: number, live?: Summary): Summary {
    return cleared(this.work[0] === live ? this.work[1]! : this.work[0]!, capacity);
  }

  /** Level l's summary (l ≥ 1), emptied, with room for `capacity` entries. */
  level(l: number, capacity: number): Summary {
    while (this.levels.length < l) this.levels.push(emptySummary(0));
    return cleared(this.levels[l - 1]!, capacity);
  }

  /** values[from, to) sorted ascending, in the queue buffer (what values.slice(from, to).sort() returns). */
  sortedQueue(values: Float32Array, from: number, to: number): Float32Array {
    if (this.queue.length < to - from) this.queue = new Float32Array(to - from);
    const q = this.queue.subarray(0, to - from);
    q.set(values.subarray(from, to));
    return q.sort();
  }

  /** A buffer of at least n floats for one column's values. */
  columnBuffer(n: number): Float32Array {
    if (this.column.length < n) this.column = new Float32Array(n);
    return this.column;
  }
}

function pushEntry(s: Summary, value: number, rmin: number, rmax: number, wmin: number): void {
  const k = s.size++;
  s.value[k] = value; s.rmin[k] = rmin; s.rmax[k] = rmax; s.wmin[k] = wmin;
}

function copyEntry(dst: Summary, src: Summary, i: number): void {
  pushEntry(dst, src.value[i]!, src.rmin[i]!, src.rmax[i]!, src.wmin[i]!);
}

/** Exact summary of sorted values, each with weight 1 (Queue::MakeSummary); into `out` when given. */
export function summaryOfSorted(sorted: Float32Array, out?: Summary): Summary {
  const s = out === undefined ? emptySummary(sorted.length) : cleared(out, sorted.length);
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    pushEntry(s, sorted[i]!, i, j, j - i);
    i = j;
  }
  return s;
}

/** WQSummary::SetPrune: at most `maxSize` entries nearest evenly spaced ranks (into `into`, not src, when given). */
export function prune(src: Summary, maxSize: number, into?: Summary): Summary {
  if (src.size <= maxSize) return src;
  const out = into === undefined ? emptySummary(maxSize) : cleared(into, maxSize);
  const last = src.size - 1;
  const begin = src.rmax[0]!;
  const range = f32(src.rmin[last]! - begin);
  const n = maxSize - 1;
  copyEntry(out, src, 0);
  let i = 1, lastIdx = 0;
  for (let k = 1; k < n; k++) {
    const dx2 = f32(2 * f32(f32(f32(k * range) / n) + begin));
    while (i < last && dx2 >= f32(src.rmax[i + 1]! + src.rmin[i + 1]!)) i++;
    if (i === last) break;
    if (dx2 < f32(f32(src.rmin[i]! + src.wmin[i]!) + f32(src.rmax[i + 1]! - src.wmin[i + 1]!))) {
      if (i !== lastIdx) { copyEntry(out, src, i); lastIdx = i; }
    } else if (i + 1 !== lastIdx) {
      copyEntry(out, src, i + 1); lastIdx = i + 1;
    }
  }
  if (lastIdx !== last) copyEntry(out, src, last);
  return out;
}

/** WQSummary::SetCombine: merge two summaries, then FixError re-establishes rank monotonicity (into `into` when given). */
export function combine(a: Summary, b: Summary, into?: Summary): Summary {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const out = into === undefined ? emptySummary(a.size + b.size) : cleared(into, a.size + b.size);
  let i = 0, j = 0, aPrevRmin = 0, bPrevRmin = 0;
  while (i < a.size && j < b.size) {
    const av = a.value[i]!, bv = b.value[j]!;
    if (av === bv) {
      pushEntry(out, av, f32(a.rmin[i]! + b.rmin[j]!), f32(a.rmax[i]! + b.rmax[j]!), f32(a.wmin[i]! + b.wmin[j]!));
      aPrevRmin = f32(a.rmin[i]! + a.wmin[i]!); bPrevRmin = f32(b.rmin[j]! + b.wmin[j]!);
      i++; j++;
    } else if (av < bv) {
      pushEntry(out, av, f32(a.rmin[i]! + bPrevRmin), f32(a.rmax[i]! + f32(b.rmax[j]! - b.wmin[j]!)), a.wmin[i]!);
      aPrevRmin = f32(a.rmin[i]! + a.wmin[i]!);
      i++;
    } else {
      pushEntry(out, bv, f32(b.rmin[j]! + aPrevRmin), f32(b.rmax[j]! + f32(a.rmax[i]! - a.wmin[i]!)), b.wmin[j]!);
      bPrevRmin = f32(b.rmin[j]! + b.wmin[j]!);
      j++;
    }
  }
  const bTop = b.rmax[b.size - 1]!, aTop = a.rmax[a.size - 1]!;
  for (; i < a.size; i++) pushEntry(out, a.value[i]!, f32(a.rmin[i]! + bPrevRmin), f32(a.rmax[i]! + bTop), a.wmin[i]!);
  for (; j < b.size; j++) pushEntry(out, b.value[j]!, f32(b.rmin[j]! + aPrevRmin), f32(b.rmax[j]! + aTop), b.wmin[j]!);
  let prevRmin = 0, prevRmax = 0;
  for (let k = 0; k < out.size; k++) {
    if (out.rmin[k]! < prevRmin) out.rmin[k] = prevRmin; else prevRmin = out.rmin[k]!;
    if (out.rmax[k]! < prevRmax) out.rmax[k] = prevRmax;
    const rminNext = f32(out.rmin[k]! + out.wmin[k]!);
    if (out.rmax[k]! < rminNext) out.rmax[k] = rminNext;
    prevRmax = out.rmax[k]!;
  }
  return out;
}

/**
 * Summary of one feature's non-missing values in row order, as HostSketchContainer builds it
 * (eps = 1/(8·min(max_bin, n)), queue of 2·limit_size entries, then GetSummary). With `scratch`, the
 * result lives in it (see SketchScratch).
 * @example sketchColumn(Float32Array.of(3, 1, 2), 256).size; // 3
 */
export function sketchColumn(values: Float32Array, maxBin: number, scratch = new SketchScratch()): Summary {
  const n = values.length;
  const eps = 1 / (Math.max(Math.min(maxBin, n), 1) * 8);
  let nlevel = 1, limit = 0;
  for (;;) {
    limit = Math.min(n, Math.ceil(nlevel / eps) + 1);
    if (2 ** nlevel * limit >= n) break;
    nlevel++;
  }
  const capacity = limit * 2;
  const levels: Summary[] = [emptySummary(0)];
  let start = 0, qtail = 0;
  for (let r = 0; r < n; r++) {
    if (qtail === capacity) {
      pushTemp(levels, summaryOfSorted(scratch.sortedQueue(values, start, r), scratch.spare(r - start)), limit, scratch);
      start = r;
      qtail = 0;
    }
    if (qtail === 0 || values[r - 1] !== values[r]) qtail++;
  }
  let out = summaryOfSorted(scratch.sortedQueue(values, start, n), scratch.spare(n - start));
  if (levels.length > 1) {
    let level0 = prune(out, limit, scratch.spare(limit, out));
    for (let l = 1; l < levels.length; l++) {
      if (levels[l]!.size === 0) continue;
      if (level0.size === 0) { level0 = levels[l]!; continue; }
      const merged = combine(level0, levels[l]!, scratch.spare(level0.size + levels[l]!.size, level0));
      level0 = prune(merged, limit, scratch.spare(limit, merged));
    }
    out = level0;
  } else if (out.size > limit) {
    out = prune(out, limit, scratch.spare(limit, out));
  }
  return out;
}

/** `dst` becomes a copy of `src` (dst has room: both hold at most limit entries). */
function assign(dst: Summary, src: Summary): void {
  if (dst === src) return;
  dst.value.set(src.value.subarray(0, src.size)); dst.rmin.set(src.rmin.subarray(0, src.size));
  dst.rmax.set(src.rmax.subarray(0, src.size)); dst.wmin.set(src.wmin.subarray(0, src.size));
  dst.size = src.size;
}

/** WQuantileSketch::PushTemp: carry a full queue's summary up the levels (levels[l] are the scratch's, at most limit entries). */
function pushTemp(levels: Summary[], temp: Summary, limit: number, scratch: SketchScratch): void {
  for (let l = 1; ; l++) {
    while (levels.length < l + 1) levels.push(scratch.level(levels.length, limit));
    if (levels[l]!.size === 0) { assign(levels[l]!, prune(temp, limit, scratch.spare(limit, temp))); return; }
    const pruned = prune(temp, limit, scratch.spare(limit, temp));
    temp = combine(pruned, levels[l]!, scratch.spare(pruned.size + levels[l]!.size, pruned));
    if (temp.size > limit) { levels[l]!.size = 0; continue; }
    assign(levels[l]!, temp);
    return;
  }
}
