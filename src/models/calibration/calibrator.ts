/**
 * A fitted probability calibrator as plain data (stored in the model file's phantom metadata), and the
 * one function that applies it. Platt works on the booster's margin logit(p_raw); isotonic on p_raw.
 */
import { UsageError } from '../../errors.js';
import { calibratorSchemaOf, checkedCalibrator, zodApi } from './calibrator-schema.js';
import { fitIsotonic, isotonicProbability, type IsotonicParams } from './isotonic.js';
import { fitPlatt, plattProbability, type PlattParams } from './platt.js';

export type CalibrationMethod = 'none' | 'platt' | 'isotonic';
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['none', 'platt', 'isotonic'];

export type Calibrator =
  | { method: 'none' }
  | ({ method: 'platt'; input: 'margin' } & PlattParams)
  | ({ method: 'isotonic'; input: 'probability' } & IsotonicParams);

/** The booster's margin from its probability (clamped so that p = 0 or 1 stays finite). */
export function marginOf(p: number): number {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p));
  return Math.log(q / (1 - q));
}

/**
 * Fit a calibrator of `method` on raw probabilities p and labels y.
 * @example fitCalibrator('platt', oof, y); // { method: 'platt', input: 'margin', a, b }
 */
export function fitCalibrator(method: CalibrationMethod, p: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  if (method === 'none') return { method };
  if (method === 'platt') return { method, input: 'margin', ...fitPlatt(Float64Array.from(p as ArrayLike<number>, marginOf), y) };
  return { method, input: 'probability', ...fitIsotonic(p, y) };
}

/**
 * Calibrated probabilities from raw ones (a new array; 'none' copies).
 * @example applyCalibrator(meta.calibration.calibrator, predictBooster(model, X));
 */
export function applyCalibrator(c: Calibrator, p: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(p as ArrayLike<number>);
  if (c.method === 'platt') for (let i = 0; i < out.length; i++) out[i] = plattProbability(c, marginOf(out[i]!));
  else if (c.method === 'isotonic') for (let i = 0; i < out.length; i++) out[i] = isotonicProbability(c, out[i]!);
  return out;
}

/** The calibrator's zod schema, built when a calibrator first fails checkedCalibrator. */
let calibratorSchema: ReturnType<typeof calibratorSchemaOf> | undefined;

/** Validate a calibrator read from a file; problems are one UsageError. */
export function parseCalibrator(raw: unknown, where: string): Calibrator {
  const checked = checkedCalibrator(raw);
  if (checked !== null) return checked;
  calibratorSchema ??= calibratorSchemaOf(zodApi());
  const parsed = calibratorSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`${where} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data as Calibrator;
}
