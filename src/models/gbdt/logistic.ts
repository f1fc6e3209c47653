/**
 * The binary:logistic objective in xgboost 1.7's float32 arithmetic (regression_loss.h):
 * p = 1/(1+e^−m), g = (p − y)·w, h = max(p(1−p), 1e−16)·w with w = scale_pos_weight when y = 1.
 */
const f32 = Math.fround;
const HESS_EPS = f32(1e-16);

/** Sigmoid in float32, as xgboost's common::Sigmoid. */
export function sigmoid32(x: number): number {
  return f32(1 / f32(1 + f32(Math.exp(-x))));
}

/**
 * Margin of a base score (ProbToMargin: −log(1/p − 1) in float32).
 * @example baseMargin(0.5); // 0
 */
export function baseMargin(baseScore: number): number {
  return f32(-Math.log(f32(f32(1 / f32(baseScore)) - 1)));
}

/**
 * Gradients and hessians of the logistic loss at float32 margins, for rows kept by `sampled`
 * (null = all rows); rows left out get zero gradient and hessian, as xgboost's hist subsampling does.
 * @example logisticGradients(margins, y, 1, null, grad, hess)
 */
export function logisticGradients(
  margins: Float32Array, y: Uint8Array, scalePosWeight: number, sampled: Uint8Array | null,
  grad: Float64Array, hess: Float64Array,
): void {
  const spw = f32(scalePosWeight);
  for (let i = 0; i < margins.length; i++) {
    if (sampled !== null && sampled[i] === 0) { grad[i] = 0; hess[i] = 0; continue; }
    const p = sigmoid32(margins[i]!);
    const label = y[i]!;
    const w = label === 1 ? spw : 1;
    grad[i] = f32(f32(p - label) * w);
    hess[i] = f32(Math.max(f32(p * f32(1 - p)), HESS_EPS) * w);
  }
}
