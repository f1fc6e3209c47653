/**
 * A class's fit (raw counts plus the pooling mass) and the kernels derived from it:
 * P(b | a) = (M(a, b) + α) / (Σ_k M(a, k) + α·V'), additive (Dirichlet) smoothing over the shared vocabulary,
 * where V' counts every state except `<start>`: nothing ever moves into it, so it gets no pseudo-count.
 */
import { addSessions, rowCount, rowSums, zeroCounts, type CountMatrix } from './count-matrix.js';
import type { SessionTransitions } from './session-transitions.js';
import { END, START } from './states.js';

export const CLASSES = ['human', 'agent'] as const;
export type ClassName = (typeof CLASSES)[number];

export interface ClassFit {
  /** sessions pooled into this class */
  sessions: number;
  /** raw transitions N = Σ N(a, b) */
  transitions: number;
  /** raw transition counts N(a, b) */
  counts: CountMatrix;
  /** pooling mass M(a, b): equal to `counts` when pooled, Σ of per-session normalised rows for mean-of-rows */
  mass: CountMatrix;
  /** the sessions in the fit, so leave-one-out and merges know what they contain */
  sessionIds: string[];
  /** transitions of each of those sessions: a check that a scored session is the one that was fitted */
  sessionTransitions: number[];
}

/** Additive smoothing α and the boundary states it treats specially (−1 when there are none). */
export interface Smoothing {
  alpha: number;
  /** `<start>`: never a destination, so it gets no pseudo-count */
  start: number;
  /** `<end>`: absorbing, its row is a unit mass on itself */
  end: number;
}

/**
 * The smoothing of a vocabulary.
 * @example smoothingFor(0.5, ['<end>', '<start>', 'page_view']) // { alpha: 0.5, start: 1, end: 0 }
 */
export function smoothingFor(alpha: number, vocabulary: readonly string[]): Smoothing {
  return { alpha, start: vocabulary.indexOf(START), end: vocabulary.indexOf(END) };
}

/** Destinations that receive the pseudo-count α: V, less `<start>`. */
export function smoothedSupport(size: number, sm: Smoothing): number {
  return size - (sm.start >= 0 ? 1 : 0);
}

/**
 * Pool the given sessions into one class fit (`rows`: source rows, the number of histories at order k > 1).
 * @example fitClass(transitions, pairWeights(transitions, 'pooled'), humanSessions, ids)
 */
export function fitClass(t: SessionTransitions, mass: Float64Array, members: ArrayLike<number>, ids: readonly string[], rows = t.size): ClassFit {
  const counts = addSessions(zeroCounts(t.size, rows), t, t.count, members);
  const massMatrix = mass === t.count ? counts : addSessions(zeroCounts(t.size, rows), t, mass, members);
  let transitions = 0;
  for (const v of counts.values) transitions += v;
  const perSession = Array.from(members, (s) => {
    let n = 0;
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) n += t.count[j]!;
    return n;
  });
  return { sessions: members.length, transitions, counts, mass: massMatrix, sessionIds: Array.from(members, (s) => ids[s]!), sessionTransitions: perSession };
}

/**
 * One smoothed kernel row written into `out` (length V). With α = 0 and no mass the row is undefined (NaN).
 * The absorbing `<end>` state keeps all its mass on itself.
 */
export function kernelRow(mass: CountMatrix, a: number, sm: Smoothing, out: Float64Array): Float64Array {
  const v = mass.size, row = mass.values.subarray(a * v, (a + 1) * v);
  if (a === sm.end) {
    out.fill(0);
    out[sm.end] = 1;
    return out;
  }
  let total = 0;
  for (let b = 0; b < v; b++) total += row[b]!;
  const denom = total + sm.alpha * smoothedSupport(v, sm);
  for (let b = 0; b < v; b++) out[b] = denom > 0 ? (row[b]! + (b === sm.start ? 0 : sm.alpha)) / denom : NaN;
  return out;
}

/**
 * The full kernel (rows = source state, or history at order k; each row sums to 1). At order k pass a
 * smoothing with `end: −1`: no history ends in `<end>`.
 * @example kernelMatrix(fit.mass, smoothingFor(0.5, vocabulary))
 */
export function kernelMatrix(mass: CountMatrix, sm: Smoothing): Float64Array {
  const v = mass.size, rows = rowCount(mass), out = new Float64Array(rows * v);
  for (let a = 0; a < rows; a++) kernelRow(mass, a, sm, out.subarray(a * v, (a + 1) * v));
  return out;
}

/** Visits of each source state: Σ_b N(a, b) over raw counts (the weights of visit-weighted divergences). */
export function visits(fit: ClassFit): Float64Array {
  return rowSums(fit.counts);
}
