/**
 * What each rule covers on the whole dataset (training and held-out sessions alike): how many sessions
 * reach the leaf, their mean p_agent, their mean teacher markup and, with labels, the share of agents.
 */
import { applyTree, type CartTree, type DenseMatrix } from '../models/cart/index.js';

export interface LeafStats {
  /** sessions reaching each node (0 for inner nodes) */
  sessions: Float64Array;
  /** mean p_agent per node (NaN if none or no p_agent) */
  meanPAgent: Float64Array;
  meanTeacher: Float64Array;
  /** share of is_agent = 1 among the labelled sessions of the node (NaN if none) */
  agentShare: Float64Array;
}

function means(leaf: Int32Array, nodes: number, values: ArrayLike<number> | null, accept: (v: number) => boolean): Float64Array {
  const sum = new Float64Array(nodes), count = new Float64Array(nodes);
  if (values !== null) {
    for (let r = 0; r < leaf.length; r++) {
      const v = values[r]!;
      if (accept(v)) { sum[leaf[r]!]! += v; count[leaf[r]!]! += 1; }
    }
  }
  for (let i = 0; i < nodes; i++) sum[i] = count[i]! > 0 ? sum[i]! / count[i]! : NaN;
  return sum;
}

/**
 * Per-node coverage statistics of `tree` over the rows of X.
 * @param isAgent −1 (unlabelled) / 0 / 1 per row, or null
 * @param leaf applyTree(tree, X) when the caller has it already
 * @example leafStats(tree, X, pAgent, teacher, isAgent).sessions[rule.leaf]
 */
export function leafStats(tree: CartTree, X: DenseMatrix, pAgent: Float64Array | null, teacher: Float64Array,
  isAgent: Int8Array | null, leaf: Int32Array = applyTree(tree, X)): LeafStats {
  const sessions = new Float64Array(tree.nodeCount);
  for (let r = 0; r < leaf.length; r++) sessions[leaf[r]!]! += 1;
  const finite = (v: number) => v === v;
  return {
    sessions,
    meanPAgent: means(leaf, tree.nodeCount, pAgent, finite),
    meanTeacher: means(leaf, tree.nodeCount, teacher, finite),
    agentShare: means(leaf, tree.nodeCount, isAgent, (v) => v >= 0),
  };
}
