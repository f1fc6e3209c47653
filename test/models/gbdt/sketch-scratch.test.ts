// The quantile sketch with a reused scratch (quantile-sketch.ts SketchScratch): one thread's columns share
// the work summaries, the tower's levels and the queue, so every summary must be the one the sketch made with
// fresh arrays per queue (the code before the scratch, kept below as the oracle) — same entries bit for bit,
// whatever columns came before, in either order.
import { describe, expect, it } from 'vitest';
import { combine, prune, sketchColumn, SketchScratch, summaryOfSorted, type Summary } from '../../../src/models/gbdt/quantile-sketch.js';
import { createRng } from '../../../src/stats/rng.js';

/** sketchColumn as it was before SketchScratch: new arrays for every queue, prune and merge. */
function freshSketch(values: Float32Array, maxBin: number): Summary {
  const n = values.length;
  const eps = 1 / (Math.max(Math.min(maxBin, n), 1) * 8);
  let nlevel = 1, limit = 0;
  for (;;) {
    limit = Math.min(n, Math.ceil(nlevel / eps) + 1);
    if (2 ** nlevel * limit >= n) break;
    nlevel++;
  }
  const capacity = limit * 2;
  const empty = (): Summary => summaryOfSorted(new Float32Array(0));
  const levels: Summary[] = [empty()];
  const pushTemp = (temp: Summary): void => {
    for (let l = 1; ; l++) {
      while (levels.length < l + 1) levels.push(empty());
      if (levels[l]!.size === 0) { levels[l] = prune(temp, limit); return; }
      temp = combine(prune(temp, limit), levels[l]!);
      if (temp.size > limit) { levels[l] = empty(); continue; }
      levels[l] = temp;
      return;
    }
  };
  let start = 0, qtail = 0;
  for (let r = 0; r < n; r++) {
    if (qtail === capacity) { pushTemp(summaryOfSorted(values.slice(start, r).sort())); start = r; qtail = 0; }
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

const entries = (s: Summary) => ({
  size: s.size, value: Array.from(s.value.subarray(0, s.size)), rmin: Array.from(s.rmin.subarray(0, s.size)),
  rmax: Array.from(s.rmax.subarray(0, s.size)), wmin: Array.from(s.wmin.subarray(0, s.size)),
});

describe('SketchScratch', () => {
  const rng = createRng(5);
  const column = (n: number, kind: number): Float32Array => Float32Array.from({ length: n }, (_, i) => {
    if (kind === 0) return rng.normal() * 3;
    if (kind === 1) return Math.floor(rng.next() * 10); // ten distinct values: heavy ties
    if (kind === 2) return i; // ascending
    if (kind === 3) return (rng.next() < 0.5 ? -1 : 1) * rng.next() ** 4 * 1e6; // both signs, skewed
    return n - i + (i % 7 === 0 ? 0.5 : 0); // descending with a few halves
  });
  // sizes below one queue, of a few queues, and of a tower several levels high (100k rows at max_bin 256)
  const columns = [
    column(1, 0), column(7, 1), column(3_000, 0), column(41_000, 3), column(100_000, 0), column(100_000, 1),
    column(150_000, 2), column(60_000, 4), column(2, 2),
  ];

  for (const maxBin of [16, 256, 1024]) {
    it(`gives the fresh-array sketch's summary for every column, one scratch reused in either order (max_bin ${maxBin})`, () => {
      const want = columns.map((c) => entries(freshSketch(c, maxBin)));
      const scratch = new SketchScratch();
      columns.forEach((c, i) => expect(entries(sketchColumn(c, maxBin, scratch))).toEqual(want[i]));
      for (let i = columns.length - 1; i >= 0; i--) expect(entries(sketchColumn(columns[i]!, maxBin, scratch))).toEqual(want[i]);
    });
  }
});
