// readClassifierMeta and parseCalibrator check well-formed blocks without zod and load zod only to word the
// problems of a malformed one (docs/perf/trainrest.md). Oracle: the zod schemas as they stood before (copied
// below from model-meta.ts / calibrator.ts at 57862e3), run on ~700 variants of a valid block — every field
// deleted or replaced by values of every JSON type. Each variant must be accepted or refused exactly as
// before, with the same message, and a calibrator must parse to the same object (same keys, same order).
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseCalibrator } from '../../../src/models/calibration/calibrator.js';
import { checkedCalibrator } from '../../../src/models/calibration/calibrator-schema.js';
import { passesMetaCheck } from '../../../src/models/classifier/meta-schema.js';
import { CLASSIFIER_META_FORMAT, CLASSIFIER_META_VERSION, readClassifierMeta } from '../../../src/models/classifier/model-meta.js';

const oldCalibratorSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }),
  z.object({ method: z.literal('platt'), input: z.literal('margin'), a: z.number(), b: z.number() }),
  z.object({
    method: z.literal('isotonic'), input: z.literal('probability'), x: z.array(z.number()).min(1), y: z.array(z.number().min(0).max(1)).min(1),
  }).refine((c) => c.x.length === c.y.length, { message: 'x and y must have the same length' }),
]);
const oldEncodingSchema = z.object({
  columns: z.array(z.union([
    z.object({ name: z.string(), kind: z.literal('numeric') }),
    z.object({ name: z.string(), kind: z.literal('one-hot'), levels: z.array(z.string()) }),
  ])),
});
const oldMetaSchema = z.object({
  format: z.literal(CLASSIFIER_META_FORMAT),
  version: z.literal(CLASSIFIER_META_VERSION),
  label: z.string(),
  encoding: oldEncodingSchema,
  threshold: z.object({ rule: z.string(), value: z.number() }),
  training: z.object({ fingerprint: z.object({ sha256: z.string() }).passthrough() }).passthrough(),
  calibration: z.object({ calibrator: oldCalibratorSchema }).passthrough().nullable().optional(),
}).passthrough();

/** What readClassifierMeta did at 57862e3. */
function oldReadMeta(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== CLASSIFIER_META_FORMAT) return 'null';
  const parsed = oldMetaSchema.safeParse(raw);
  if (!parsed.success) return `the model's phantom metadata is malformed:\n  ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('\n  ')}`;
  return 'ok';
}
/** What parseCalibrator did at 57862e3 (the parsed object as JSON, or the message). */
function oldParseCalibrator(raw: unknown): string {
  const parsed = oldCalibratorSchema.safeParse(raw);
  if (!parsed.success) return `c is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
  return JSON.stringify(parsed.data);
}
const outcome = (f: () => unknown): string => {
  try { const r = f(); return r === null ? 'null' : typeof r === 'object' && 'method' in (r as object) ? JSON.stringify(r) : 'ok'; } catch (e) { return (e as Error).message; }
};

const REPLACEMENTS: unknown[] = [undefined, null, 0, 1, -1, 2, 0.5, 1.25, -0.5, 'x', '', true, [], {}, [1], ['x'], [0.5, 2], { a: 1 }];

/** `base` with the value at `path` replaced (undefined: the key deleted), for every path and replacement. */
function variants(base: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (path.length > 0) {
      for (const r of REPLACEMENTS) {
        const copy = structuredClone(base) as Record<string | number, unknown>;
        let at = copy;
        for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
        const last = path[path.length - 1]!;
        if (r === undefined && !Array.isArray(at)) delete at[last]; else at[last] = structuredClone(r);
        out.push(copy);
      }
    }
    if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  walk(base, []);
  return out;
}

const calibrators = [
  { method: 'none' },
  { method: 'platt', input: 'margin', a: -1.5, b: 0.25, extra: 'dropped' },
  { extra: 1, y: [0, 0.5, 1], x: [0.1, 0.2, 0.9], input: 'probability', method: 'isotonic' },
];
const meta = (calibrator: unknown): unknown => ({
  format: CLASSIFIER_META_FORMAT, version: CLASSIFIER_META_VERSION, phantomVersion: '0.0.0', label: 'is_agent',
  encoding: { columns: [{ name: 'a', kind: 'numeric' }, { name: 'b', kind: 'one-hot', levels: ['x', 'y'] }] },
  threshold: { rule: 'youden', value: 0.42 }, training: { source: 's.parquet', fingerprint: { sha256: 'ab', rows: 10 } },
  calibration: { method: 'isotonic', calibrator },
});

describe('model metadata without zod on the well-formed path', () => {
  it('accepts and refuses every variant as the zod schemas did, with the same messages', () => {
    let accepted = 0, refused = 0, checked = 0;
    for (const c of calibrators) {
      for (const v of [meta(c), ...variants(meta(c))]) {
        const want = oldReadMeta(v);
        expect(outcome(() => readClassifierMeta(v))).toBe(want);
        if (passesMetaCheck(v, CLASSIFIER_META_FORMAT, CLASSIFIER_META_VERSION)) { checked++; expect(want).toBe('ok'); }
        if (want === 'ok') accepted++; else if (want !== 'null') refused++;
      }
    }
    // the structural check took the valid blocks (the fast path), zod worded the refusals
    expect(checked).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(300);
    expect(accepted).toBeGreaterThan(checked - 1);
  });

  it('parses every calibrator variant to the same object, or refuses it with the same message', () => {
    let fast = 0;
    for (const c of calibrators) {
      for (const v of [c, ...variants(c)]) {
        const want = oldParseCalibrator(v);
        expect(outcome(() => parseCalibrator(v, 'c'))).toBe(want);
        if (checkedCalibrator(v) !== null) fast++;
      }
    }
    expect(fast).toBeGreaterThan(10);
  });

  it('words a malformed block as before (examples)', () => {
    const bad = meta(calibrators[1]) as Record<string, unknown>;
    expect(() => readClassifierMeta({ ...bad, label: 3, threshold: { rule: 'f1' } })).toThrow(
      "the model's phantom metadata is malformed:\n  label: Invalid input: expected string, received number\n  threshold.value: Invalid input: expected number, received undefined",
    );
    expect(() => readClassifierMeta({ ...bad, calibration: { calibrator: { method: 'isotonic', input: 'probability', x: [0, 1], y: [0] } } })).toThrow(
      "the model's phantom metadata is malformed:\n  calibration.calibrator: x and y must have the same length",
    );
    expect(() => parseCalibrator({ method: 'platt', input: 'margin', a: 'x', b: 0 }, "the model's calibration")).toThrow(
      "the model's calibration is malformed: a: Invalid input: expected number, received string",
    );
  });
});
