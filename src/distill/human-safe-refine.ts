/**
 * Tree surgery for the human-safe rules (src/distill/human-safe-guard.ts): a deep copy of a CART tree, and the
 * graft of a subtree in place of one of its leaves.
 */
import type { CartTree } from '../models/cart/index.js';

/** A deep copy (the cap writes into its tree). */
export function cloneTree(t: CartTree): CartTree {
  return {
    ...t, params: { ...t.params }, featureNames: [...t.featureNames],
    left: t.left.slice(), right: t.right.slice(), feature: t.feature.slice(), threshold: t.threshold.slice(), defaultLeft: t.defaultLeft.slice(),
    value: t.value.slice(), classProba: t.classProba.slice(), nSamples: t.nSamples.slice(), weightedSamples: t.weightedSamples.slice(), impurity: t.impurity.slice(),
  };
}

/** Replace leaf `at` of `t` by the subtree `s` (its root takes the leaf's id, the rest is appended). */
export function graft(t: CartTree, at: number, s: CartTree): CartTree {
  const n = t.nodeCount + s.nodeCount - 1;
  const grow = <A extends Int32Array | Float64Array | Uint8Array>(a: A, make: (len: number) => A): A => { const b = make(n); b.set(a); return b; };
  const out: CartTree = {
    ...t, nodeCount: n,
    left: grow(t.left, (k) => new Int32Array(k)), right: grow(t.right, (k) => new Int32Array(k)), feature: grow(t.feature, (k) => new Int32Array(k)),
    threshold: grow(t.threshold, (k) => new Float64Array(k)), defaultLeft: grow(t.defaultLeft, (k) => new Uint8Array(k)),
    value: grow(t.value, (k) => new Float64Array(k)), nSamples: grow(t.nSamples, (k) => new Int32Array(k)),
    weightedSamples: grow(t.weightedSamples, (k) => new Float64Array(k)), impurity: grow(t.impurity, (k) => new Float64Array(k)),
  };
  const id = (j: number) => (j < 0 ? -1 : j === 0 ? at : t.nodeCount + j - 1);
  for (let j = 0; j < s.nodeCount; j++) {
    const k = id(j);
    out.left[k] = id(s.left[j]!); out.right[k] = id(s.right[j]!); out.feature[k] = s.feature[j]!; out.threshold[k] = s.threshold[j]!;
    out.defaultLeft[k] = s.defaultLeft[j]!; out.value[k] = s.value[j]!; out.nSamples[k] = s.nSamples[j]!;
    out.weightedSamples[k] = s.weightedSamples[j]!; out.impurity[k] = s.impurity[j]!;
  }
  return out;
}
