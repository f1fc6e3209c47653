/**
 * Absorbing-chain analysis of a class kernel (docs/method.md, "Absorbing chains"): `purchase_complete` and
 * `<end>` are absorbing. With Q the transient → transient block and R the transient → absorbing block, the
 * fundamental matrix N = (I − Q)⁻¹ gives absorption probabilities B = N·R and expected steps to absorption
 * t = N·1 (Kemeny & Snell). The removal effect of a state r (as in Markov attribution, ChannelAttribution)
 * is 1 − P′(purchase | <start>)/P(purchase | <start>), where P′ sends every transition into r to `<end>`.
 */
import { DataError, UsageError } from '../errors.js';
import type { CountMatrix } from './count-matrix.js';
import { kernelMatrix, smoothingFor } from './kernel.js';
import { END, START } from './states.js';

/** The purchase event; composite states (`purchase_complete|…`) are purchase states too. */
export const PURCHASE_EVENT = 'purchase_complete';

export interface AbsorbingAnalysis {
  vocabulary: string[];
  /** per state: P(absorbed in a purchase state | state); 1 for purchase states, 0 for `<end>` */
  purchaseProbability: number[];
  /** per state: expected transitions until absorption (0 for absorbing states) */
  expectedSteps: number[];
  /** P(purchase | <start>): the class's conversion rate under the kernel */
  conversion: number;
  /** per state: removal effect 1 − P′/P (NaN for `<start>`, absorbing states, or P = 0); drop is P − P′ */
  removalEffect: number[];
  removalDrop: number[];
}

/** Is the state label a purchase state? */
export function isPurchaseState(label: string): boolean {
  return label === PURCHASE_EVENT || label.startsWith(`${PURCHASE_EVENT}|`);
}

/**
 * Solve (I − Q)·X = rhs for the transient states (Gaussian elimination with partial pivoting), in place in
 * `rhs` (n × m row-major). Throws when some transient state never reaches an absorbing one.
 */
function solveFundamental(kernel: Float64Array, v: number, transient: number[], rhs: Float64Array, m: number, vocabulary: readonly string[]): void {
  const n = transient.length, a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 1 : 0) - kernel[transient[i]! * v + transient[j]!]!;
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]!) > Math.abs(a[piv * n + col]!)) piv = r;
    if (!(Math.abs(a[piv * n + col]!) > 1e-12)) {
      throw new DataError(`absorbing analysis: state "${vocabulary[transient[col]!]}" never reaches purchase_complete or <end> under this kernel; use --smoothing > 0`);
    }
    if (piv !== col) {
      for (let j = 0; j < n; j++) [a[col * n + j], a[piv * n + j]] = [a[piv * n + j]!, a[col * n + j]!];
      for (let j = 0; j < m; j++) [rhs[col * m + j], rhs[piv * m + j]] = [rhs[piv * m + j]!, rhs[col * m + j]!];
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col]! / a[col * n + col]!;
      if (f === 0) continue;
      for (let j = col; j < n; j++) a[r * n + j]! -= f * a[col * n + j]!;
      for (let j = 0; j < m; j++) rhs[r * m + j]! -= f * rhs[col * m + j]!;
    }
  }
  for (let r = 0; r < n; r++) for (let j = 0; j < m; j++) rhs[r * m + j]! /= a[r * n + r]!;
}

/** P(purchase) and expected steps from every state of a V×V kernel with the given absorbing states. */
function absorb(kernel: Float64Array, v: number, absorbing: boolean[], purchase: boolean[], vocabulary: readonly string[]): { p: Float64Array; steps: Float64Array } {
  const transient: number[] = [];
  for (let s = 0; s < v; s++) if (!absorbing[s]) transient.push(s);
  // right-hand sides: [R·1_purchase, 1]
  const rhs = new Float64Array(transient.length * 2);
  transient.forEach((s, i) => {
    let toPurchase = 0;
    for (let b = 0; b < v; b++) if (purchase[b]) toPurchase += kernel[s * v + b]!;
    rhs[i * 2] = toPurchase;
    rhs[i * 2 + 1] = 1;
  });
  solveFundamental(kernel, v, transient, rhs, 2, vocabulary);
  const p = new Float64Array(v), steps = new Float64Array(v);
  for (let s = 0; s < v; s++) p[s] = purchase[s] ? 1 : 0;
  transient.forEach((s, i) => {
    p[s] = rhs[i * 2]!;
    steps[s] = rhs[i * 2 + 1]!;
  });
  return { p, steps };
}

/**
 * Absorbing-chain analysis of one class: the α-smoothed kernel of `mass` over `vocabulary` (which must hold
 * `<start>`, `<end>` and a purchase state). Rows of states never left in the data (NaN at α = 0) go to `<end>`.
 * @example absorbingAnalysis(fit.mass, vocabulary, 0.5).purchaseProbability
 */
export function absorbingAnalysis(mass: CountMatrix, vocabulary: readonly string[], alpha: number): AbsorbingAnalysis {
  const v = vocabulary.length, start = vocabulary.indexOf(START), end = vocabulary.indexOf(END);
  if (start < 0 || end < 0) throw new UsageError('--absorbing needs the <start>/<end> boundary states: drop --no-boundary');
  const purchase = vocabulary.map(isPurchaseState);
  if (!purchase.some(Boolean)) throw new UsageError(`--absorbing needs a ${PURCHASE_EVENT} state; with --state category it is merged into a category, use --state event`);
  const absorbing = vocabulary.map((_, k) => purchase[k]! || k === end);
  const kernel = kernelMatrix(mass, smoothingFor(alpha, vocabulary));
  for (let s = 0; s < v; s++) {
    if (absorbing[s]) {
      kernel.fill(0, s * v, (s + 1) * v);
      kernel[s * v + s] = 1;
    } else if (Number.isNaN(kernel[s * v]!)) {
      kernel.fill(0, s * v, (s + 1) * v);
      kernel[s * v + end] = 1;
    }
  }
  const base = absorb(kernel, v, absorbing, purchase, vocabulary);
  const conversion = base.p[start]!;
  const removalEffect: number[] = [], removalDrop: number[] = [];
  const removed = new Float64Array(kernel.length);
  for (let r = 0; r < v; r++) {
    if (absorbing[r] || r === start) {
      removalEffect.push(NaN);
      removalDrop.push(NaN);
      continue;
    }
    removed.set(kernel);
    for (let s = 0; s < v; s++) {
      removed[s * v + end]! += removed[s * v + r]!;
      removed[s * v + r] = 0;
    }
    const p = absorb(removed, v, absorbing, purchase, vocabulary).p[start]!;
    removalDrop.push(conversion - p);
    removalEffect.push(conversion > 0 ? 1 - p / conversion : NaN);
  }
  return {
    vocabulary: [...vocabulary], purchaseProbability: Array.from(base.p), expectedSteps: Array.from(base.steps), conversion, removalEffect, removalDrop,
  };
}
