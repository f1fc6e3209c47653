/**
 * xgboost's weighted quantile sketch (WQuantileSketch<float, float>, src/common/quantile.h), ported so
 * phantom's bins equal xgboost 1.7's: values stream in row order into a queue of 2·limit entries; a full
 * queue becomes an exact summary that is pruned and merged up a tower of levels. Rank arithmetic is
 * float32, as in the original. Unit weights only (phantom has no sample weights).
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

function pushEntry(s: Summary, value: number, rmin: number, rmax: number, wmin: number): void {
  const k = s.size++;
  s.value[k] = value; s.rmin[k] = rmin; s.rmax[k] = rmax; s.wmin[k] = wmin;
}

function copyEntry(dst: Summary, src: Summary, i: number): void {
  pushEntry(dst, src.value[i]!, src.rmin[i]!, src.rmax[i]!, src.wmin[i]!);
}

/** Exact summary of sorted values, each with weight 1 (Queue::MakeSummary). */
export function summaryOfSorted(sorted: Float32Array): Summary {
  const s = emptySummary(sorted.length);
  for (let i = 0; i < sorted.length;) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    pushEntry(s, sorted[i]!, i, j, j - i);
    i = j;
  }
  return s;
}

/** WQSummary::SetPrune: at most `maxSize` entries nearest evenly spaced ranks. */
export function prune(src: Summary, maxSize: number): Summary {
  if (src.size <= maxSize) return src;
  const out = emptySummary(maxSize);
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

/** WQSummary::SetCombine: merge two summaries, then FixError re-establishes rank monotonicity. */
export function combine(a: Summary, b: Summary): Summary {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  const out = emptySummary(a.size + b.size);
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
 * (eps = 1/(8·min(max_bin, n)), queue of 2·limit_size entries, then GetSummary).
 * @example sketchColumn(Float32Array.of(3, 1, 2), 256).size; // 3
 */
export function sketchColumn(values: Float32Array, maxBin: number): Summary {
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
      pushTemp(levels, summaryOfSorted(values.slice(start, r).sort()), limit);
      start = r;
      qtail = 0;
    }
    if (qtail === 0 || values[r - 1] !== values[r]) qtail++;
  }
  let out = summaryOfSorted(values.slice(start, n).sort());
  if (levels.length > 1) {
    let level0 = prune(out, limit);
    for (let l = 1; l < levels.length; l++) {
      if (levels[l]!.size === 0) continue;
      level0 = level0.size === 0 ? levels[l]! : prune(combine(level0, levels[l]!), limit);
    }
    out = level0;
  } else if (out.size > limit) {
    out = prune(out, limit);
  }
  return out;
}

/** WQuantileSketch::PushTemp: carry a full queue's summary up the levels. */
function pushTemp(levels: Summary[], temp: Summary, limit: number): void {
  for (let l = 1; ; l++) {
    while (levels.length < l + 1) levels.push(emptySummary(0));
    if (levels[l]!.size === 0) { levels[l] = prune(temp, limit); return; }
    temp = combine(prune(temp, limit), levels[l]!);
    if (temp.size > limit) { levels[l] = emptySummary(0); continue; }
    levels[l] = temp;
    return;
  }
}
