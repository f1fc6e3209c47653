/**
 * The flat rules table: one entry per leaf (in preorder, the order of the text export) with the path
 * conditions from the root, the leaf value, its training sample count and, optionally, the mean of an
 * auxiliary column (such as p_agent) over the rows of a matrix that reach the leaf.
 */
import { UsageError } from '../../errors.js';
import { applyTree } from './predict.js';
import type { CartTree, DenseMatrix } from './types.js';

/** One step of a path: `feature op threshold`, and whether a missing value also satisfies it. */
export interface RuleCondition {
  feature: string;
  featureIndex: number;
  op: '<=' | '>';
  threshold: number;
  orMissing: boolean;
}

export interface CartRule {
  leaf: number;
  conditions: RuleCondition[];
  /** Leaf mean (regression) or predicted class index (classification). */
  value: number;
  samples: number;
  weightedSamples: number;
  impurity: number;
  /** Classification only: class shares at the leaf. */
  proba?: number[];
  /** Mean of the auxiliary column over the rows reaching the leaf (NaN entries skipped); null if none. */
  auxMean?: number | null;
}

/** Rows of `X` and one value per row whose per-leaf mean is reported (e.g. the training matrix and p_agent). */
export interface AuxColumn {
  name?: string;
  X: DenseMatrix;
  values: Float64Array;
}

/** Mean of `aux.values` per node over the rows that reach it (NaN for nodes no row reaches). */
export function leafAuxMeans(tree: CartTree, aux: AuxColumn): Float64Array {
  if (aux.values.length !== aux.X.nRows) {
    throw new UsageError(`aux column has ${aux.values.length} values for ${aux.X.nRows} rows`);
  }
  const leaves = applyTree(tree, aux.X);
  const sum = new Float64Array(tree.nodeCount), count = new Float64Array(tree.nodeCount);
  for (let r = 0; r < leaves.length; r++) {
    const v = aux.values[r]!;
    if (v === v) {
      sum[leaves[r]!]! += v;
      count[leaves[r]!]! += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i]! > 0 ? sum[i]! / count[i]! : NaN;
  return sum;
}

/** Condition sending a row from `node` to its left (`<=`) or right (`>`) child. */
export function branchCondition(tree: CartTree, node: number, goLeft: boolean, names: string[]): RuleCondition {
  const f = tree.feature[node]!, feature = names[f];
  if (feature === undefined) throw new Error(`branchCondition: node ${node} splits on feature ${f}, but only ${names.length} feature names were given`);
  return {
    feature,
    featureIndex: f,
    op: goLeft ? '<=' : '>',
    threshold: tree.threshold[node]!,
    orMissing: (tree.defaultLeft[node] === 1) === goLeft,
  };
}

/**
 * One rule per leaf, left to right.
 * @example exportRules(tree, { aux: { name: 'p_agent', X, values: pAgent } })[0].auxMean
 */
export function exportRules(tree: CartTree, options: { aux?: AuxColumn } = {}): CartRule[] {
  const auxMeans = options.aux ? leafAuxMeans(tree, options.aux) : undefined;
  const K = tree.nClasses;
  const rules: CartRule[] = [];
  const visit = (node: number, path: RuleCondition[]): void => {
    if (tree.left[node] !== -1) {
      visit(tree.left[node]!, [...path, branchCondition(tree, node, true, tree.featureNames)]);
      visit(tree.right[node]!, [...path, branchCondition(tree, node, false, tree.featureNames)]);
      return;
    }
    const rule: CartRule = {
      leaf: node,
      conditions: path,
      value: tree.value[node]!,
      samples: tree.nSamples[node]!,
      weightedSamples: tree.weightedSamples[node]!,
      impurity: tree.impurity[node]!,
    };
    if (tree.kind === 'classification') rule.proba = Array.from(tree.classProba.subarray(node * K, node * K + K));
    if (auxMeans) rule.auxMean = Number.isNaN(auxMeans[node]!) ? null : auxMeans[node]!;
    rules.push(rule);
  };
  visit(0, []);
  return rules;
}
