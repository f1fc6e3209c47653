/**
 * The teacher of docs/distill.md: the markup a session would be priced at, m = clip(1 + a·p_agent − b·p_purchase,
 * lo, hi). Agents pay more (they pollute the demand signal), likely buyers are spared, and the result stays
 * inside the bounds a pricing team would sign off.
 */
import { UsageError } from '../errors.js';

export interface MarkupCoefficients {
  /** weight of p_agent */
  a: number;
  /** weight of p_purchase */
  b: number;
  /** lower bound of the markup */
  lo: number;
  /** upper bound of the markup */
  hi: number;
}

/** The one definition of the teacher's defaults. */
export const TEACHER_DEFAULTS: Readonly<MarkupCoefficients> = Object.freeze({ a: 0.5, b: 0.3, lo: 0.7, hi: 1.5 });

/** The formula as written into rules.json, so a reader can recompute every target. */
export const TEACHER_FORMULA = 'markup = clip(1 + a*p_agent - b*p_purchase, lo, hi)';

/** Resolve coefficients against TEACHER_DEFAULTS; every bad value is named in one UsageError. */
export function resolveCoefficients(partial: Partial<MarkupCoefficients> = {}): MarkupCoefficients {
  const c: MarkupCoefficients = { ...TEACHER_DEFAULTS, ...partial };
  const problems: string[] = [];
  for (const k of ['a', 'b', 'lo', 'hi'] as const) if (!Number.isFinite(c[k])) problems.push(`${k} must be a finite number (got ${c[k]})`);
  if (!(c.lo <= c.hi)) problems.push(`lo (${c.lo}) must not exceed hi (${c.hi})`);
  if (problems.length > 0) throw new UsageError(`invalid markup coefficients: ${problems.join('; ')}`);
  return c;
}

/**
 * Teacher markup per session. A NaN probability gives a NaN markup (the caller drops such rows).
 * @param pPurchase null means p_purchase = 0 for every session
 * @example teacherMarkup(Float64Array.of(0.9), Float64Array.of(0.1)); // [1.42]
 */
export function teacherMarkup(pAgent: Float64Array, pPurchase: Float64Array | null,
  coefficients: Partial<MarkupCoefficients> = {}): Float64Array {
  const { a, b, lo, hi } = resolveCoefficients(coefficients);
  if (pPurchase !== null && pPurchase.length !== pAgent.length) {
    throw new UsageError(`p_purchase has ${pPurchase.length} values for ${pAgent.length} sessions`);
  }
  const out = new Float64Array(pAgent.length);
  for (let i = 0; i < out.length; i++) {
    const m = 1 + a * pAgent[i]! - b * (pPurchase === null ? 0 : pPurchase[i]!);
    out[i] = m < lo ? lo : m > hi ? hi : m; // NaN passes through both comparisons
  }
  return out;
}
