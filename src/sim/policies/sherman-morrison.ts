/**
 * Rank-one updates of an inverse: for A' = A + x·xᵀ (A symmetric positive definite),
 * A'⁻¹ = A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x) (Sherman–Morrison), O(d²) instead of an O(d³) inverse.
 * Matrices are row-major Float64Arrays of d×d.
 */

/**
 * Update `ainv` in place to the inverse of A + x·xᵀ. `scratch` holds at least d numbers.
 * @example const ainv = identity(6); shermanMorrisonUpdate(ainv, x, 6, new Float64Array(6))
 */
export function shermanMorrisonUpdate(ainv: Float64Array, x: ArrayLike<number>, d: number, scratch: Float64Array): void {
  let denom = 1;
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += ainv[r * d + c]! * x[c]!;
    scratch[r] = s;
    denom += x[r]! * s;
  }
  for (let r = 0; r < d; r++) {
    const u = scratch[r]! / denom;
    for (let c = 0; c < d; c++) ainv[r * d + c]! -= u * scratch[c]!;
  }
}

/** xᵀ M x for a d×d row-major M. */
export function quadraticForm(m: Float64Array, x: ArrayLike<number>, d: number, offset = 0): number {
  let acc = 0;
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += m[r * d + c]! * x[offset + c]!;
    acc += x[offset + r]! * s;
  }
  return acc;
}

/** The d×d identity scaled by `scale`. */
export function scaledIdentity(d: number, scale = 1): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = scale;
  return m;
}
