/**
 * How faithfully the student reproduces the teacher: R² and MAE of the student's markup against the
 * teacher's (regression), accuracy over tiers (classification, with the markup MAE that follows from it).
 */

export interface Fidelity {
  rows: number;
  /** 1 − SS_res / SS_tot; null when the teacher is constant on these rows or there are none */
  r2: number | null;
  mae: number | null;
  maxAbsError: number | null;
  /** tiers only: share of rows whose tier the student predicts exactly */
  accuracy?: number | null;
}

/**
 * Compare student and teacher on the given rows (all rows when omitted).
 * @example markupFidelity(teacher, student, test).r2
 */
export function markupFidelity(teacher: Float64Array, student: Float64Array, rows?: Int32Array): Fidelity {
  const n = rows ? rows.length : teacher.length;
  if (n === 0) return { rows: 0, r2: null, mae: null, maxAbsError: null };
  let mean = 0;
  for (let k = 0; k < n; k++) mean += teacher[rows ? rows[k]! : k]!;
  mean /= n;
  let ssRes = 0, ssTot = 0, abs = 0, maxAbs = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k]! : k;
    const e = teacher[i]! - student[i]!, d = teacher[i]! - mean;
    ssRes += e * e;
    ssTot += d * d;
    abs += Math.abs(e);
    if (Math.abs(e) > maxAbs) maxAbs = Math.abs(e);
  }
  // a spread below 1e-12 of the mean is rounding in the mean itself: the teacher is constant, R² undefined
  const constant = ssTot <= n * (1e-12 * Math.max(1, Math.abs(mean))) ** 2;
  return { rows: n, r2: constant ? null : 1 - ssRes / ssTot, mae: abs / n, maxAbsError: maxAbs };
}

/**
 * Tier agreement on the given rows, plus the markup fidelity of the tiers' markups.
 * @example tierFidelity(trueTier, predictedTier, markups, test).accuracy
 */
export function tierFidelity(teacherTier: Int32Array, studentTier: Float64Array, markups: readonly number[],
  rows?: Int32Array): Fidelity {
  const n = rows ? rows.length : teacherTier.length;
  const t = new Float64Array(teacherTier.length), s = new Float64Array(teacherTier.length);
  let hits = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k]! : k;
    if (teacherTier[i] === studentTier[i]) hits++;
    t[i] = markups[teacherTier[i]!]!;
    s[i] = markups[studentTier[i]!]!;
  }
  return { ...markupFidelity(t, s, rows), accuracy: n > 0 ? hits / n : null };
}
