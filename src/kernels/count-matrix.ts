/**
 * Dense source × destination count matrices (rows = source) and the arithmetic that makes kernels
 * refittable and mergeable: add sessions, merge two fits, subtract a fit (or one session) again.
 */
import type { SessionTransitions } from './session-transitions.js';

export interface CountMatrix {
  /** number of destination states V (the columns); `values` is rows×V row-major, rows = V for a first-order
   * kernel and the number of histories (k-tuples of states) for an order-k kernel */
  size: number;
  values: Float64Array;
}

/** A rows×V matrix of zeros (square unless `rows` is given). */
export function zeroCounts(size: number, rows = size): CountMatrix {
  return { size, values: new Float64Array(rows * size) };
}

/** Source rows of a matrix: V for a first-order kernel, the number of histories at order k. */
export function rowCount(m: CountMatrix): number {
  return m.size === 0 ? 0 : m.values.length / m.size;
}

/**
 * Add (sign +1) or remove (sign −1) the pair masses of the given sessions, in place.
 * @example addSessions(m, transitions, transitions.count, [0, 3, 7]);
 */
export function addSessions(m: CountMatrix, t: SessionTransitions, mass: Float64Array, sessions: ArrayLike<number>, sign: 1 | -1 = 1): CountMatrix {
  const v = m.values, size = m.size;
  for (let k = 0; k < sessions.length; k++) {
    const s = sessions[k]!;
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) v[t.src[j]! * size + t.dst[j]!]! += sign * mass[j]!;
  }
  return m;
}

function combine(a: CountMatrix, b: CountMatrix, sign: 1 | -1): CountMatrix {
  if (a.size !== b.size) throw new RangeError(`count matrices differ in size (${a.size} and ${b.size}); align their vocabularies first`);
  const out = new Float64Array(a.values.length);
  for (let i = 0; i < out.length; i++) out[i] = a.values[i]! + sign * b.values[i]!;
  return { size: a.size, values: out };
}

/**
 * a + b: the counts of two disjoint sets of sessions pooled (two fits merged).
 * @example mergeCounts(day1.counts, day2.counts)
 */
export function mergeCounts(a: CountMatrix, b: CountMatrix): CountMatrix {
  return combine(a, b, 1);
}

/**
 * a − b: the counts of a fit without a subset of its sessions (b must be contained in a).
 * @example subtractCounts(all, oneSession) // equals a refit without that session
 */
export function subtractCounts(a: CountMatrix, b: CountMatrix): CountMatrix {
  return combine(a, b, -1);
}

/** Row sums Σ_b M(a, b). */
export function rowSums(m: CountMatrix): Float64Array {
  const out = new Float64Array(rowCount(m));
  for (let a = 0; a < out.length; a++) {
    let s = 0;
    for (let b = 0; b < m.size; b++) s += m.values[a * m.size + b]!;
    out[a] = s;
  }
  return out;
}

/** Total mass Σ M(a, b). */
export function totalCount(m: CountMatrix): number {
  let s = 0;
  for (let i = 0; i < m.values.length; i++) s += m.values[i]!;
  return s;
}

/**
 * Re-index a matrix into a larger vocabulary (every old state must exist in the new one); new rows and
 * columns are zero. This is how fits over different data are aligned before merging.
 */
export function alignCounts(m: CountMatrix, from: readonly string[], to: readonly string[]): CountMatrix {
  const index = new Map(to.map((s, k) => [s, k]));
  const map = from.map((s) => {
    const k = index.get(s);
    if (k === undefined) throw new RangeError(`state "${s}" is missing from the target vocabulary`);
    return k;
  });
  const out = zeroCounts(to.length);
  for (let a = 0; a < m.size; a++) {
    for (let b = 0; b < m.size; b++) out.values[map[a]! * to.length + map[b]!] = m.values[a * m.size + b]!;
  }
  return out;
}
