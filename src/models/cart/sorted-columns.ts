/**
 * Per-feature sorted row lists, sorted once at the root and then stably partitioned at every split,
 * so that each node owns the same range [start, end) in every feature's list, already in feature
 * order (missing values last). This makes each node's sweep linear: O(n log n) once, O(n·p) per level.
 */
import { argsortFloat64, createArgsortScratch } from '../../stats/argsort.js';

const EMPTY = new Float64Array(0);
import type { DenseMatrix } from './types.js';

export interface SortedColumns {
  /** rows[f][i]: the row at sorted position i of feature f (NaN rows at the end, by row index). */
  rows: Int32Array[];
  /** xs[f][i]: the value of feature f at that row, kept beside it so sweeps read sequentially. */
  xs: Float64Array[];
  /** Scratch space for the stable partition. */
  tmpRows: Int32Array;
  tmpXs: Float64Array;
}

/** Sort every column once; ties keep row order so the result does not depend on the sort algorithm. */
export function presortColumns(X: DenseMatrix): SortedColumns {
  const { nRows: n, nCols: p, values } = X;
  const columns: Float64Array[] = [];
  for (let f = 0; f < p; f++) columns.push(new Float64Array(n));
  for (let r = 0, k = 0; r < n; r++) {
    for (let f = 0; f < p; f++, k++) columns[f]![r] = values[k]!;
  }
  const rows: Int32Array[] = [];
  const xs: Float64Array[] = [];
  // one set of scratch buffers for every column (sorting 40 columns of 80k rows otherwise allocates ~120 MB,
  // which the garbage collector pays for)
  const scratch = createArgsortScratch(n);
  const present = new Float64Array(n), presentRows = new Int32Array(n);
  for (let f = 0; f < p; f++) {
    const col = columns[f]!;
    const order = new Int32Array(n);
    let nPresent = 0;
    for (let r = 0; r < n; r++) if (col[r] === col[r]) { presentRows[nPresent] = r; present[nPresent++] = col[r]!; }
    let tail = nPresent;
    for (let r = 0; r < n; r++) if (col[r] !== col[r]) order[tail++] = r;
    // Stable argsort of the present values (collected in row order): equal values keep row order.
    const perm = argsortFloat64(present.subarray(0, nPresent), scratch);
    for (let i = 0; i < nPresent; i++) order[i] = presentRows[perm[i]!]!;
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[i] = col[order[i]!]!;
    rows.push(order);
    xs.push(sorted);
    columns[f] = EMPTY; // the column is no longer needed
  }
  return { rows, xs, tmpRows: new Int32Array(n), tmpXs: new Float64Array(n) };
}

/**
 * Stable partition of [start, end) in every feature's list: rows with goLeft[row] === 1 first.
 * Returns the number of left rows. Order within each side is preserved, so each side stays sorted.
 * With `nColumns`, only the first nColumns features' lists are partitioned (the others go stale).
 */
export function partitionColumns(cols: SortedColumns, start: number, end: number, goLeft: Uint8Array,
  nColumns = cols.rows.length): number {
  const { tmpRows, tmpXs } = cols;
  let nLeft = 0;
  for (let f = 0; f < nColumns; f++) {
    const rows = cols.rows[f]!;
    const xs = cols.xs[f]!;
    let w = start;
    let t = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      if (goLeft[r] === 1) {
        rows[w] = r;
        xs[w++] = xs[i]!;
      } else {
        tmpRows[t] = r;
        tmpXs[t++] = xs[i]!;
      }
    }
    rows.set(tmpRows.subarray(0, t), w);
    xs.set(tmpXs.subarray(0, t), w);
    nLeft = w - start;
  }
  return nLeft;
}
