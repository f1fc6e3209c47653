/**
 * Parsing of the grid's list-valued flags: α as a list (`0,0.1,0.3`) or an inclusive range
 * (`start:stop:step`), price arms the same way, policies as a comma list.
 */
import { UsageError } from '../errors.js';
import { parsePolicyName } from './policies/registry.js';

/**
 * Numbers from `a,b,c` or `start:stop:step` (inclusive, rounded to 9 decimals so 0.1 steps stay exact).
 * @example parseNumberList('0:0.6:0.1', '--alpha') // [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
 */
export function parseNumberList(text: string, flag: string, min = -Infinity, max = Infinity): number[] {
  const t = text.trim();
  let values: number[];
  if (t.includes(':')) {
    const parts = t.split(':').map(Number);
    if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x)) || !(parts[2]! > 0) || parts[1]! < parts[0]!) {
      throw new UsageError(`${flag}: a range is start:stop:step with stop >= start and step > 0, got "${text}"`);
    }
    const [start, stop, step] = parts as [number, number, number];
    values = [];
    for (let k = 0; start + k * step <= stop + 1e-9; k++) values.push(Math.round((start + k * step) * 1e9) / 1e9);
    if (values.length > 10_000) throw new UsageError(`${flag}: the range has ${values.length} values; at most 10,000`);
  } else {
    values = t.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
    if (values.some((x) => !Number.isFinite(x))) throw new UsageError(`${flag}: expected numbers separated by commas or start:stop:step, got "${text}"`);
  }
  const bad = values.filter((x) => x < min || x > max);
  if (bad.length > 0) throw new UsageError(`${flag}: values must be within [${min}, ${max}], got ${bad.join(', ')}`);
  if (new Set(values).size !== values.length) throw new UsageError(`${flag}: values repeat in "${text}"`);
  return values;
}

/** Policy names from a comma list, validated (all problems at once). */
export function parsePolicyList(text: string): string[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError('--policy: give at least one policy');
  const problems: string[] = [];
  for (const n of names) {
    try {
      parsePolicyName(n);
    } catch (err) {
      problems.push((err as Error).message.replace(/^--policy: /, ''));
    }
  }
  if (problems.length > 0) throw new UsageError(`--policy: ${problems.join('; ')}`);
  if (new Set(names).size !== names.length) throw new UsageError(`--policy: a policy is listed twice in "${text}"`);
  return names;
}

/** `a:b` → [a, b] with 0 < a <= b. */
export function parsePriceRange(text: string, flag: string): [number, number] {
  const parts = text.split(':').map(Number);
  if (parts.length !== 2 || !(parts[0]! > 0) || !(parts[1]! >= parts[0]!)) throw new UsageError(`${flag}: expected a:b with 0 < a <= b, got "${text}"`);
  return [parts[0]!, parts[1]!];
}
