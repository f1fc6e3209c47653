import { DataError } from '../errors.js';

/** Copy `v` scaled to sum 1, after checking it is a usable (unnormalised) distribution. */
function normalised(v: ArrayLike<number>, what: string): Float64Array {
  if (v.length === 0) throw new DataError(`${what}: empty distribution`);
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!(x >= 0) || x === Infinity) throw new DataError(`${what}: entry ${i} is ${x}; entries must be finite and non-negative`);
    s += x;
  }
  if (s === 0) throw new DataError(`${what}: all entries are zero`);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / s;
  return out;
}

function sameLength(p: ArrayLike<number>, q: ArrayLike<number>, what: string): void {
  if (p.length !== q.length) throw new DataError(`${what}: distributions have different lengths (${p.length} and ${q.length})`);
}

/** Σ p·ln(p/q) with 0·ln(0/q) = 0 and +Infinity where q = 0 < p (scipy.special.rel_entr summed). */
function relativeEntropy(p: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!, b = q[i]!;
    if (a > 0) s += b > 0 ? a * Math.log(a / b) : Infinity;
  }
  return s;
}

/**
 * Shannon entropy −Σ p·ln p in nats of p normalised to sum 1 (scipy.stats.entropy(p)).
 * @example entropy([1, 1]); // 0.6931471805599453
 */
export function entropy(p: ArrayLike<number>): number {
  const a = normalised(p, 'entropy');
  let s = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > 0) s -= a[i]! * Math.log(a[i]!);
  return s;
}

/**
 * Kullback–Leibler divergence KL(p‖q) = Σ p·ln(p/q) in nats, with p and q each normalised to sum 1 first,
 * 0·ln 0 = 0, and +Infinity when some q_i = 0 < p_i: exactly scipy.stats.entropy(p, q).
 * @example klDivergence([0.5, 0.5], [0.9, 0.1]); // 0.5108256237659907
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'klDivergence');
  return relativeEntropy(normalised(p, 'klDivergence (p)'), normalised(q, 'klDivergence (q)'));
}

/**
 * Jensen–Shannon divergence ½·KL(p‖m) + ½·KL(q‖m), m = (p + q)/2, in nats (bounded by ln 2; always finite).
 * It is the square of scipy.spatial.distance.jensenshannon(p, q).
 * @example jsDivergence([1, 0], [0, 1]); // 0.6931471805599453
 */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  sameLength(p, q, 'jsDivergence');
  const a = normalised(p, 'jsDivergence (p)'), b = normalised(q, 'jsDivergence (q)');
  const m = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) m[i] = (a[i]! + b[i]!) / 2;
  return (relativeEntropy(a, m) + relativeEntropy(b, m)) / 2;
}
