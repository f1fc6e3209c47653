/**
 * Lossless JSON form of a fitted tree: plain arrays per node field (JSON numbers round-trip doubles
 * exactly); leaf thresholds (NaN) and an unlimited maxDepth (Infinity) are written as null.
 */
import { z } from 'zod';
import { UsageError } from '../../errors.js';
import { CART_COMPARISON, type CartTree } from './types.js';

export const CART_JSON_FORMAT = 'phantom-cart/1';

const nums = z.array(z.number());
const ints = z.array(z.number().int());
const schema = z.object({
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
export type CartTreeJson = z.infer<typeof schema>;

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
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new UsageError(`not a phantom CART tree: ${problems.join('; ')}`);
  }
  const j = parsed.data, nd = j.nodes, n = nd.left.length;
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
