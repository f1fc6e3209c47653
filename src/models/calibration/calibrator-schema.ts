/**
 * The zod schema of a stored calibrator, built on first use, and a structural check that accepts a subset of
 * what it accepts. zod (95 modules, ≈ 0.07 s of CPU to import) is loaded only when a calibrator fails the
 * check, to word its problems exactly as before; a well-formed one never loads it (docs/perf/trainrest.md).
 */
import { zodApi, type ZodApi } from '../lazy-zod.js';
import type { Calibrator } from './calibrator.js';

export { zodApi, type ZodApi };

/** The calibrator schema (what parseCalibrator accepts), on zod `z`. */
export function calibratorSchemaOf(z: ZodApi) {
  return z.discriminatedUnion('method', [
    z.object({ method: z.literal('none') }),
    z.object({ method: z.literal('platt'), input: z.literal('margin'), a: z.number(), b: z.number() }),
    z.object({
      method: z.literal('isotonic'), input: z.literal('probability'), x: z.array(z.number()).min(1), y: z.array(z.number().min(0).max(1)).min(1),
    }).refine((c) => c.x.length === c.y.length, { message: 'x and y must have the same length' }),
  ]);
}

/** A plain object, as JSON.parse makes (zod's z.object accepts these and more). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
/** What zod's z.number() accepts: a finite number. */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A dense array of at least one element, each passing `ok`. */
function denseArray(v: unknown, ok: (x: unknown) => boolean): v is unknown[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v) || !ok(v[i])) return false;
  return true;
}

/**
 * What the calibrator schema's parse returns — the variant's keys in schema order, others dropped — for a
 * calibrator that passes a structural check stricter than the schema; null for anything else (then the
 * schema decides and words the problem).
 */
export function checkedCalibrator(raw: unknown): Calibrator | null {
  if (!isRecord(raw)) return null;
  if (raw.method === 'none') return { method: 'none' };
  if (raw.method === 'platt') {
    return raw.input === 'margin' && isNumber(raw.a) && isNumber(raw.b) ? { method: 'platt', input: 'margin', a: raw.a, b: raw.b } : null;
  }
  if (raw.method === 'isotonic' && raw.input === 'probability') {
    const { x, y } = raw;
    if (!denseArray(x, isNumber) || !denseArray(y, (v) => isNumber(v) && v >= 0 && v <= 1) || x.length !== y.length) return null;
    return { method: 'isotonic', input: 'probability', x: [...x] as number[], y: [...y] as number[] };
  }
  return null;
}
