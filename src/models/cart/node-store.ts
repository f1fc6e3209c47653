/**
 * Growable parallel arrays for the nodes of a tree under construction (doubling, then trimmed), so
 * the grower never allocates per-node objects.
 */
import type { CartTree } from './types.js';

/** The node fields of a CartTree (their meaning is documented there). */
export type NodeArrays = Pick<CartTree, 'nodeCount' | 'left' | 'right' | 'feature' | 'threshold' | 'defaultLeft' | 'value' | 'classProba' | 'nSamples' | 'weightedSamples' | 'impurity'>;

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** A store with room for `capacity` nodes; `add` returns the new node's id. */
export function createNodeStore(nClasses: number, capacity = 64) {
  let cap = capacity;
  const s: NodeArrays = {
    nodeCount: 0,
    left: new Int32Array(cap),
    right: new Int32Array(cap),
    feature: new Int32Array(cap),
    threshold: new Float64Array(cap),
    defaultLeft: new Uint8Array(cap),
    value: new Float64Array(cap),
    classProba: new Float64Array(cap * nClasses),
    nSamples: new Int32Array(cap),
    weightedSamples: new Float64Array(cap),
    impurity: new Float64Array(cap),
  };

  function ensure(): void {
    if (s.nodeCount < cap) return;
    cap *= 2;
    s.left = grow(s.left, cap);
    s.right = grow(s.right, cap);
    s.feature = grow(s.feature, cap);
    s.threshold = grow(s.threshold, cap);
    s.defaultLeft = grow(s.defaultLeft, cap);
    s.value = grow(s.value, cap);
    s.classProba = grow(s.classProba, cap * nClasses);
    s.nSamples = grow(s.nSamples, cap);
    s.weightedSamples = grow(s.weightedSamples, cap);
    s.impurity = grow(s.impurity, cap);
  }

  /** Append a node as a leaf; `setSplit` turns it into an internal node later. */
  function add(count: number, weight: number, impurity: number, value: number): number {
    ensure();
    const id = s.nodeCount++;
    s.left[id] = -1;
    s.right[id] = -1;
    s.feature[id] = -1;
    s.threshold[id] = NaN;
    s.defaultLeft[id] = 0;
    s.value[id] = value;
    s.nSamples[id] = count;
    s.weightedSamples[id] = weight;
    s.impurity[id] = impurity;
    return id;
  }

  function setSplit(id: number, feature: number, threshold: number, defaultLeft: boolean): void {
    s.feature[id] = feature;
    s.threshold[id] = threshold;
    s.defaultLeft[id] = defaultLeft ? 1 : 0;
  }

  /** Arrays trimmed to the node count. */
  function finish(): NodeArrays {
    const n = s.nodeCount;
    return {
      nodeCount: n,
      left: s.left.slice(0, n),
      right: s.right.slice(0, n),
      feature: s.feature.slice(0, n),
      threshold: s.threshold.slice(0, n),
      defaultLeft: s.defaultLeft.slice(0, n),
      value: s.value.slice(0, n),
      classProba: s.classProba.slice(0, n * nClasses),
      nSamples: s.nSamples.slice(0, n),
      weightedSamples: s.weightedSamples.slice(0, n),
      impurity: s.impurity.slice(0, n),
    };
  }

  return { arrays: s, add, setSplit, finish };
}
