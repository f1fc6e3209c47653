/**
 * Platt scaling (Platt 2000, with Lin, Lin & Weng's smoothed targets), as scikit-learn's
 * `_sigmoid_calibration`: p = 1 / (1 + exp(a·f + b)) fitted by minimising the cross-entropy against
 * targets T₊ = (N₊ + 1)/(N₊ + 2), T₋ = 1/(N₋ + 2). phantom fits it on the booster's margin f = logit(p_raw).
 */
import { UsageError } from '../../errors.js';

export interface PlattParams {
  /** slope (negative for a score that rises with the positive class) */
  a: number;
  b: number;
}

/**
 * Fit Platt's sigmoid by Newton's method with a backtracking line search (the loss is convex in (a, b)).
 * @example fitPlatt(Float64Array.of(-2, -1, 1, 2), Uint8Array.of(0, 0, 1, 1)).a; // < 0
 */
export function fitPlatt(f: ArrayLike<number>, y: ArrayLike<number>): PlattParams {
  const n = f.length;
  if (y.length !== n) throw new UsageError(`fitPlatt: ${n} scores but ${y.length} labels`);
  let prior1 = 0;
  for (let i = 0; i < n; i++) if (y[i]! > 0) prior1++;
  const prior0 = n - prior1;
  const hiT = (prior1 + 1) / (prior1 + 2), loT = 1 / (prior0 + 2);
  const target = (i: number): number => (y[i]! > 0 ? hiT : loT);
  // loss(a, b) = Σ −[T log P + (1−T) log(1−P)], P = σ(−(a f + b)); stable via log1p(exp(·)).
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * f[i]! + b, t = target(i);
      // −log P = log(1 + e^z), −log(1−P) = log(1 + e^−z)
      const softplus = (v: number): number => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
      s += t * softplus(z) + (1 - t) * softplus(-z);
    }
    return s;
  };
  let a = 0, b = Math.log((prior0 + 1) / (prior1 + 1));
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < n; i++) {
      const z = a * f[i]! + b;
      const q = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)); // σ(z) = 1 − P; ∂loss/∂z = T − P
      const d = q - (1 - target(i)), w = Math.max(q * (1 - q), 1e-300), fi = f[i]!;
      ga += d * fi; gb += d;
      haa += w * fi * fi; hab += w * fi; hbb += w;
    }
    if (Math.abs(ga) < 1e-12 * Math.max(1, n) && Math.abs(gb) < 1e-12 * Math.max(1, n)) break;
    const ridge = 1e-12 * (haa + hbb + 1);
    const det = (haa + ridge) * (hbb + ridge) - hab * hab;
    let da = -((hbb + ridge) * ga - hab * gb) / det, db = -((haa + ridge) * gb - hab * ga) / det;
    if (!Number.isFinite(da) || !Number.isFinite(db)) { da = -ga; db = -gb; }
    let step = 1, next = loss(a + da, b + db);
    while (!(next <= current + 1e-4 * step * (ga * da + gb * db)) && step > 1e-10) {
      step /= 2;
      next = loss(a + step * da, b + step * db);
    }
    if (step <= 1e-10) break;
    a += step * da; b += step * db;
    const improved = current - next;
    current = next;
    if (improved <= 1e-15 * Math.max(1, Math.abs(current))) break;
  }
  return { a, b };
}

/** p = 1 / (1 + exp(a·f + b)). @example plattProbability({ a: -1, b: 0 }, 0); // 0.5 */
export function plattProbability(p: PlattParams, f: number): number {
  const z = p.a * f + p.b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}
