// treeFromJson reads a well-formed tree without zod and loads zod only for one its structural check refuses
// (docs/perf/trainrest.md). Oracle: the zod schema as it stood before (copied from serialize.ts at 57862e3):
// every variant of a valid tree — each field deleted or replaced by values of every JSON type, −0, keys
// reordered or added — gives the same tree or the same message as parsing with that schema did.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { CART_JSON_FORMAT, treeFromJson } from '../../../src/models/cart/serialize.js';
import { CART_COMPARISON } from '../../../src/models/cart/types.js';

const nums = z.array(z.number());
const ints = z.array(z.number().int());
const oldSchema = z.object({
  format: z.literal(CART_JSON_FORMAT),
  kind: z.enum(['regression', 'classification']),
  criterion: z.enum(['squared_error', 'gini']),
  comparison: z.literal(CART_COMPARISON),
  params: z.object({
    maxDepth: z.number().int().nonnegative().nullable(),
    minSamplesLeaf: z.number().int().positive(),
    minSamplesSplit: z.number().int().min(2),
    minImpurityDecrease: z.number().nonnegative(),
  }),
  featureNames: z.array(z.string()),
  nClasses: z.number().int().nonnegative(),
  nodes: z.object({
    left: ints, right: ints, feature: ints, threshold: z.array(z.number().nullable()),
    defaultLeft: z.array(z.union([z.literal(0), z.literal(1)])), value: nums, classProba: nums,
    nSamples: ints, weightedSamples: nums, impurity: nums,
  }),
});

const show = (t: unknown): string => JSON.stringify(t, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : Object.is(v, -0) ? '-0' : v));
const outcome = (f: () => unknown): string => { try { return show(f()); } catch (e) { return (e as Error).message; } };
/** What treeFromJson did at 57862e3: the old schema's verdict, then the same rebuilding of its parsed data. */
function oldOutcome(json: unknown): string {
  const parsed = oldSchema.safeParse(json);
  if (!parsed.success) return `not a phantom CART tree: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`;
  return outcome(() => treeFromJson(parsed.data));
}

const tree = {
  format: CART_JSON_FORMAT, kind: 'classification', criterion: 'gini', comparison: CART_COMPARISON,
  params: { maxDepth: 3, minSamplesLeaf: 1, minSamplesSplit: 2, minImpurityDecrease: 0 },
  featureNames: ['a', 'b'], nClasses: 2,
  nodes: {
    left: [1, -1, -1], right: [2, -1, -1], feature: [0, -1, -1], threshold: [0.5, null, null], defaultLeft: [1, 0, 0],
    value: [0.5, 0.2, 0.8], classProba: [0.5, 0.5, 0.8, 0.2, 0.2, 0.8], nSamples: [10, 5, 5], weightedSamples: [10, 5, 5], impurity: [0.5, 0.32, 0.32],
  },
};
const REPLACEMENTS: unknown[] = [undefined, null, 0, -0, 1, -1, 2, 0.5, 2 ** 53, 'x', true, [], {}, [1], [0.5], ['x'], [null], [-0]];

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

describe('treeFromJson without zod on the well-formed path', () => {
  it('gives the same tree or the same message as the zod schema did, for every variant', () => {
    const { maxDepth, ...rest } = tree.params;
    const extra = [
      { ...tree, params: { ...rest, maxDepth } }, // keys in another order
      { ...tree, nodes: { ...tree.nodes, extra: [1, 2, 3] } },
      { ...tree, params: { ...tree.params, extra: 1 } },
      { ...tree, extra: 'kept out' },
      { ...tree, params: { ...tree.params, maxDepth: null } },
    ];
    let valid = 0;
    for (const v of [tree, ...extra, ...variants(tree)]) {
      const want = oldOutcome(v);
      expect(outcome(() => treeFromJson(v))).toBe(want);
      if (!want.startsWith('not a')) valid++;
    }
    expect(valid).toBeGreaterThan(20);
  });
});
