/**
 * Lossless JSON form of a fitted tree: plain arrays per node field (JSON numbers round-trip doubles
 * exactly); leaf thresholds (NaN) and an unlimited maxDepth (Infinity) are written as null.
 */
import { UsageError } from '../../errors.js';
import { zodApi, type ZodApi } from '../lazy-zod.js';
import { CART_COMPARISON, type CartTree } from './types.js';

export const CART_JSON_FORMAT = 'phantom-cart/1';

/** The tree's zod schema on zod `z` (built only for a tree that fails passesTreeCheck: see below). */
function schemaOf(z: ZodApi) {
  const nums = z.array(z.number());
  const ints = z.array(z.number().int());
  return z.object({
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
}
export type CartTreeJson = ReturnType<ReturnType<typeof schemaOf>['parse']>;
let schema: ReturnType<typeof schemaOf> | undefined;

// A structural check that accepts a subset of what the schema accepts, so a well-formed tree is read without
// loading zod (95 modules, ≈ 0.07 s of CPU; distill writes trees and never reads one): plain objects with
// exactly the schema's keys where the schema's parse would drop others (params, nodes), finite numbers,
// safe integers, no −0. Anything else goes through the schema, as before.
const PARAM_KEYS = ['maxDepth', 'minSamplesLeaf', 'minSamplesSplit', 'minImpurityDecrease'];
const NODE_KEYS = ['left', 'right', 'feature', 'threshold', 'defaultLeft', 'value', 'classProba', 'nSamples', 'weightedSamples', 'impurity'];
const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};
/** The schema's keys in the schema's order (the order its parse gives them, which the tree then keeps). */
const exactKeys = (o: Record<string, unknown>, keys: string[]): boolean => {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k, i) => own[i] === k);
};
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const int = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0);
const every = (v: unknown, ok: (x: unknown) => boolean): boolean => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!(i in v) || !ok(v[i])) return false;
  return true;
};

function passesTreeCheck(j: unknown): j is CartTreeJson {
  if (!isPlain(j) || j.format !== CART_JSON_FORMAT || j.comparison !== CART_COMPARISON) return false;
  if ((j.kind !== 'regression' && j.kind !== 'classification') || (j.criterion !== 'squared_error' && j.criterion !== 'gini')) return false;
  const p = j.params, nd = j.nodes;
  if (!isPlain(p) || !exactKeys(p, PARAM_KEYS)) return false;
  if (!(p.maxDepth === null || (int(p.maxDepth) && p.maxDepth >= 0)) || !(int(p.minSamplesLeaf) && p.minSamplesLeaf > 0)) return false;
  if (!(int(p.minSamplesSplit) && p.minSamplesSplit >= 2) || !((finite(p.minImpurityDecrease) && p.minImpurityDecrease > 0) || Object.is(p.minImpurityDecrease, 0))) return false;
  if (!every(j.featureNames, (v) => typeof v === 'string') || !(int(j.nClasses) && j.nClasses >= 0)) return false;
  if (!isPlain(nd) || !exactKeys(nd, NODE_KEYS)) return false;
  return every(nd.left, int) && every(nd.right, int) && every(nd.feature, int) && every(nd.nSamples, int)
    && every(nd.threshold, (v) => v === null || finite(v)) && every(nd.defaultLeft, (v) => v === 0 || v === 1)
    && every(nd.value, finite) && every(nd.classProba, finite) && every(nd.weightedSamples, finite) && every(nd.impurity, finite);
}

/**
 * Plain-data form for JSON.stringify.
 * @example writeFileSync('tree.json', JSON.stringify(treeToJson(tree)));
 */
export function treeToJson(tree: CartTree): CartTreeJson {
  return {
    format: CART_JSON_FORMAT, kind: tree.kind, criterion: tree.criterion, comparison: tree.comparison,
    params: { ...tree.params, maxDepth: Number.isFinite(tree.params.maxDepth) ? tree.params.maxDepth : null },
    featureNames: [...tree.featureNames], nClasses: tree.nClasses,
    nodes: {
      left: Array.from(tree.left), right: Array.from(tree.right), feature: Array.from(tree.feature),
      threshold: Array.from(tree.threshold, (t) => (Number.isNaN(t) ? null : t)),
      defaultLeft: Array.from(tree.defaultLeft, (d) => (d === 1 ? 1 : 0)),
      value: Array.from(tree.value), classProba: Array.from(tree.classProba), nSamples: Array.from(tree.nSamples),
      weightedSamples: Array.from(tree.weightedSamples), impurity: Array.from(tree.impurity),
    },
  };
}

/**
 * Validate and rebuild a tree; throws UsageError naming every problem with its path.
 * @example const tree = treeFromJson(JSON.parse(readFileSync('tree.json', 'utf8')));
 */
export function treeFromJson(json: unknown): CartTree {
  let j: CartTreeJson;
  if (passesTreeCheck(json)) j = json;
  else {
    schema ??= schemaOf(zodApi());
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new UsageError(`not a phantom CART tree: ${problems.join('; ')}`);
    }
    j = parsed.data;
  }
  const nd = j.nodes, n = nd.left.length;
  const problems: string[] = [];
  for (const [key, arr] of Object.entries(nd)) {
    const expected = key === 'classProba' ? n * j.nClasses : n;
    if (arr.length !== expected) problems.push(`nodes.${key} has ${arr.length} entries, expected ${expected}`);
  }
  for (let i = 0; i < n && problems.length === 0; i++) {
    const l = nd.left[i]!, r = nd.right[i]!, f = nd.feature[i]!;
    const isLeaf = l === -1 && r === -1;
    if (!isLeaf && (l <= i || r <= i || l >= n || r >= n)) problems.push(`node ${i}: children ${l}, ${r} out of order`);
    if (!isLeaf && (f < 0 || f >= j.featureNames.length || nd.threshold[i] === null)) {
      problems.push(`node ${i}: split needs a feature in [0, ${j.featureNames.length}) and a threshold`);
    }
  }
  if (n === 0) problems.push('the tree has no nodes');
  if (problems.length > 0) throw new UsageError(`not a valid CART tree: ${problems.join('; ')}`);
  return {
    kind: j.kind, comparison: CART_COMPARISON, criterion: j.criterion,
    params: { ...j.params, maxDepth: j.params.maxDepth ?? Infinity },
    featureNames: [...j.featureNames], nClasses: j.nClasses, nodeCount: n,
    left: Int32Array.from(nd.left), right: Int32Array.from(nd.right), feature: Int32Array.from(nd.feature),
    threshold: Float64Array.from(nd.threshold, (t) => t ?? NaN), defaultLeft: Uint8Array.from(nd.defaultLeft),
    value: Float64Array.from(nd.value), classProba: Float64Array.from(nd.classProba),
    nSamples: Int32Array.from(nd.nSamples), weightedSamples: Float64Array.from(nd.weightedSamples),
    impurity: Float64Array.from(nd.impurity),
  };
}
