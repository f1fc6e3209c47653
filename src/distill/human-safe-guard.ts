/**
 * The guard of the human-safe rules (docs/distill.md, "Human-safe rules"): a rule of the student that a clear
 * human reaches and that charges more than the bound is grown further — only that rule — until its clear humans
 * sit in rules of their own, and every rule still holding a clear human charges at most the bound.
 *
 * Why grow, not cap: a regression leaf charges the mean markup of its sessions, so capping a leaf where a few
 * clear humans sit among many agents reprices all those agents (on 20,000 generated sessions one such leaf held
 * 2,802 sessions at mean p_agent 0.99), and a split chosen for the markup rarely moves the humans out. Under the
 * cap the loss of a leaf is Σ (y − min(mean, cap))², additive over a split whose both sides stay capped, so a
 * greedy capped-loss split cannot see the value of peeling humans off one group at a time either.
 *
 * Passes: the guard is fitted on the training sessions only and checked on the held-out ones (HeldOutCheck: how
 * many held-out clear humans those rules charge more than the bound, and their held-out R²); then a table pass grows
 * the same way the rules that a held-out clear human still reaches above the bound, so the rules as written keep the
 * bound for every session of the table. Only rules that need it grow: every other rule is the fitted student's.
 *
 * The guarded subtree of a rule therefore has two steps, on the rule's own sessions:
 * 1. grow: a classification tree (Gini) on "clear human or not", at most GUARD_DEPTH levels, leaves of 1 session,
 *    so it can separate the clear humans as far as the features allow (look-ahead the greedy capped loss lacks);
 * 2. price and prune: each leaf charges the mean teacher markup of its sessions, or the bound when it holds a clear
 *    human and that mean is above it (the least-squares value under the constraint); then, bottom-up, a split whose
 *    two children are leaves is undone when it lowers that capped loss by less than GUARD_MIN_GAIN × the training
 *    sum of squares of the markup (each kept split buys at least 0.1 % of the R² scale) — merging two leaves keeps
 *    the constraint, since the merged leaf is capped whenever either half was.
 */
import { applyTree, fitClassificationTree, leafValues, type CartContext, type CartTree, type DenseMatrix } from '../models/cart/index.js';
import { takeRows } from '../models/dataset/take-rows.js';
import { markupFidelity } from './fidelity.js';
import { GUARD_DEPTH, GUARD_MIN_GAIN, HUMAN_SAFE_RULE, type CappedLeaf, type HeldOutCheck, type HumanSafeOptions, type HumanSafeOutcome } from './human-safe.js';
import { cloneTree, graft } from './human-safe-refine.js';

export { GUARD_DEPTH, GUARD_MIN_GAIN };

export interface GuardBounds { maxPAgent: number; maxMarkup: number }

/** A leaf priced at the bound although its sessions' mean markup is above it. */
export interface GuardCappedLeaf { leaf: number; from: number }

/** Per node of `t`: rows, Σy, Σy², clear rows, over the rows of Xs. */
function nodeSums(t: CartTree, Xs: DenseMatrix, ys: Float64Array, clear: Int32Array) {
  const m = t.nodeCount;
  const n = new Float64Array(m), sy = new Float64Array(m), syy = new Float64Array(m), k = new Float64Array(m);
  for (let r = 0; r < Xs.nRows; r++) {
    let node = 0;
    for (;;) {
      n[node]! += 1; sy[node]! += ys[r]!; syy[node]! += ys[r]! * ys[r]!; k[node]! += clear[r]!;
      if (t.left[node] === -1) break;
      const x = Xs.values[r * Xs.nCols + t.feature[node]!]!;
      node = x <= t.threshold[node]! || (x !== x && t.defaultLeft[node] === 1) ? t.left[node]! : t.right[node]!;
    }
  }
  return { n, sy, syy, k };
}

/** The nodes of `t` reachable from the root, renumbered in preorder (pruning leaves orphans behind). */
function compact(t: CartTree): CartTree {
  const order: number[] = [], id = new Int32Array(t.nodeCount).fill(-1);
  const stack = [0];
  while (stack.length > 0) {
    const i = stack.pop()!;
    id[i] = order.length; order.push(i);
    if (t.left[i] !== -1) stack.push(t.right[i]!, t.left[i]!);
  }
  const pick = <A extends Int32Array | Float64Array | Uint8Array>(a: A): A => {
    const b = new (a.constructor as new (n: number) => A)(order.length);
    order.forEach((i, j) => { b[j] = a[i]!; });
    return b;
  };
  const left = pick(t.left), right = pick(t.right);
  for (let j = 0; j < order.length; j++) if (left[j] !== -1) { left[j] = id[left[j]!]!; right[j] = id[right[j]!]!; }
  return {
    ...t, nodeCount: order.length, left, right, feature: pick(t.feature), threshold: pick(t.threshold), defaultLeft: pick(t.defaultLeft),
    value: pick(t.value), classProba: new Float64Array(0), nSamples: pick(t.nSamples), weightedSamples: pick(t.weightedSamples), impurity: pick(t.impurity),
  };
}

/**
 * The guarded subtree of one rule (steps 1–2 of the header), as a regression tree whose leaves are the prices.
 * @param clear 1 for a clear human among the rows of Xs, else 0
 * @param minGain the smallest loss reduction a split must buy to stay (absolute, in markup²)
 * @example const sub = guardedSubtree(Xs, ys, clear, 1.02, 1e-3 * sst, { rng });
 */
export function guardedSubtree(Xs: DenseMatrix, ys: Float64Array, clear: Int32Array, cap: number, minGain: number,
  ctx: CartContext): { tree: CartTree; capped: GuardCappedLeaf[] } {
  const grown = fitClassificationTree(Xs, clear, { maxDepth: GUARD_DEPTH, minSamplesLeaf: 1 }, ctx, 2);
  const s = nodeSums(grown, Xs, ys, clear);
  const t: CartTree = { ...cloneTree(grown), kind: 'regression', criterion: 'squared_error', nClasses: 0, classProba: new Float64Array(0) };
  const mean = (i: number) => s.sy[i]! / s.n[i]!;
  const price = (i: number) => (s.k[i]! > 0 && mean(i) > cap ? cap : mean(i));
  const loss = (i: number) => { const v = price(i); return s.syy[i]! - 2 * v * s.sy[i]! + s.n[i]! * v * v; };
  for (let i = 0; i < t.nodeCount; i++) {
    t.value[i] = price(i);
    t.impurity[i] = Math.max(0, loss(i) / s.n[i]!);
  }
  // bottom-up: children before parents (preorder ids, so descending ids visit every child before its parent)
  for (let i = t.nodeCount - 1; i >= 0; i--) {
    const l = t.left[i]!, r = t.right[i]!;
    if (l === -1 || t.left[l] !== -1 || t.left[r] !== -1) continue;
    if (loss(i) - loss(l) - loss(r) < minGain) {
      t.left[i] = -1; t.right[i] = -1; t.feature[i] = -1; t.threshold[i] = NaN; t.defaultLeft[i] = 0;
    }
  }
  const out = compact(t);
  const capped: GuardCappedLeaf[] = [];
  const sums = nodeSums(out, Xs, ys, clear);
  for (let i = 0; i < out.nodeCount; i++) {
    if (out.left[i] === -1 && sums.k[i]! > 0 && sums.sy[i]! / sums.n[i]! > cap) capped.push({ leaf: i, from: sums.sy[i]! / sums.n[i]! });
  }
  return { tree: out, capped };
}

/**
 * Grow, in a copy of `tree`, every leaf that a clear row among `rows` reaches and that charges more than the bound,
 * by its guarded subtree fitted on those of `rows` that reach it.
 * @param isClear per row of X: 1 = clear human
 * @param y the teacher markup per row of X
 * @param leafOf applyTree(tree, X) when the caller has it already
 * @returns the tree, how many leaves were grown, and the leaves priced at the bound (ids in the returned tree)
 * @example const pass = guardLeaves(tree, X, split.train, markup, isClear, { maxPAgent: 0.1, maxMarkup: 1.02 }, 1e-3 * sst, { rng });
 */
export function guardLeaves(tree: CartTree, X: DenseMatrix, rows: Int32Array, y: Float64Array, isClear: Uint8Array,
  bounds: GuardBounds, minGain: number, ctx: CartContext, leafOf: Int32Array = applyTree(tree, X)): { tree: CartTree; guarded: number[]; capped: GuardCappedLeaf[]; newLeaves: number[] } {
  // leafOf is indexed by row of X (cheaper than copying the rows out first); rows grouped by leaf with a counting
  // sort, each group in the order of `rows`
  const m = tree.nodeCount;
  const groupStart = new Int32Array(m + 1), mixed = new Uint8Array(m);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k]!, leaf = leafOf[row]!;
    groupStart[leaf + 1]!++;
    if (isClear[row] === 1 && tree.value[leaf]! > bounds.maxMarkup) mixed[leaf] = 1;
  }
  for (let i = 0; i < m; i++) groupStart[i + 1]! += groupStart[i]!;
  const grouped = new Int32Array(rows.length), next = groupStart.slice(0, m);
  for (let k = 0; k < rows.length; k++) grouped[next[leafOf[rows[k]!]!]!++] = rows[k]!;
  let out = cloneTree(tree);
  const guarded: number[] = [], capped: GuardCappedLeaf[] = [], newLeaves: number[] = [];
  for (let leaf = 0; leaf < m; leaf++) {
    if (mixed[leaf] === 0) continue;
    const sub = grouped.subarray(groupStart[leaf]!, groupStart[leaf + 1]!);
    const g = guardedSubtree(takeRows(X, sub), Float64Array.from(sub, (r) => y[r]!), Int32Array.from(sub, (r) => isClear[r]!), bounds.maxMarkup, minGain, ctx);
    const first = out.nodeCount;
    out = graft(out, leaf, g.tree);
    guarded.push(leaf);
    const id = (j: number) => (j === 0 ? leaf : first + j - 1);
    for (const c of g.capped) capped.push({ leaf: id(c.leaf), from: c.from });
    for (let j = 0; j < g.tree.nodeCount; j++) if (g.tree.left[j] === -1) newLeaves.push(id(j));
  }
  return { tree: out, guarded, capped, newLeaves };
}

/** Clear sessions among `rows`, how many `markup` charges above the bound, and the most any of them pays. */
function clearCharges(rows: Iterable<number>, isClear: Uint8Array, markup: Float64Array, bound: number): { clear: number; over: number; max: number | null } {
  let clear = 0, over = 0, max = -Infinity;
  for (const r of rows) {
    if (isClear[r] !== 1) continue;
    clear++;
    if (markup[r]! > bound) over++;
    if (markup[r]! > max) max = markup[r]!;
  }
  return { clear, over, max: clear > 0 ? max : null };
}

/**
 * The regression student with the human-safe rule applied (header): training pass, held-out check, table pass.
 * @param clearScore per row of X, min(raw, calibrated p_agent) (NaN = never clear); @param y teacher markup per row of X
 * @param minGainShare GUARD_MIN_GAIN unless given (to measure the choice, docs/distill.md)
 * @example const safe = guardedStudent({ tree, X, train, test, y, clearScore, options: HUMAN_SAFE_DEFAULTS, ctx: { rng } });
 */
export function guardedStudent(a: { tree: CartTree; X: DenseMatrix; train: Int32Array; test: Int32Array; y: Float64Array;
  clearScore: Float64Array; options: HumanSafeOptions; ctx: CartContext; minGainShare?: number }): {
  tree: CartTree; outcome: HumanSafeOutcome; fittedStudentMarkup: Float64Array; guardOf: Map<number, 'training' | 'table'>;
  /** applyTree(tree, X) of the returned tree, and its markup per row of X */
  leafOf: Int32Array; markup: Float64Array;
} {
  const { X, train, test, y, options } = a;
  const isClear = Uint8Array.from(a.clearScore, (p) => (p < options.maxPAgent ? 1 : 0));
  let mean = 0, sst = 0;
  for (const r of train) mean += y[r]!;
  mean /= train.length;
  for (const r of train) sst += (y[r]! - mean) ** 2;
  const minGain = (a.minGainShare ?? GUARD_MIN_GAIN) * sst;
  const table = Int32Array.from([...train, ...test]);

  // each tree is walked over X once: its leaves give both the markups and the guard's groups of rows
  const fittedLeafOf = applyTree(a.tree, X);
  const fittedStudentMarkup = leafValues(a.tree, fittedLeafOf);
  const fittedClear = clearCharges(table, isClear, fittedStudentMarkup, options.maxMarkup);
  const leaves = (t: CartTree) => t.left.reduce((n, l) => n + (l === -1 ? 1 : 0), 0);

  const first = guardLeaves(a.tree, X, train, y, isClear, options, minGain, a.ctx, fittedLeafOf);
  let heldOutCheck: HeldOutCheck | null = null;
  const firstLeafOf = first.guarded.length === 0 ? fittedLeafOf : applyTree(first.tree, X); // ungrown: the same nodes
  if (test.length > 0) {
    const m = leafValues(first.tree, firstLeafOf), c = clearCharges(test, isClear, m, options.maxMarkup);
    heldOutCheck = { clearSessions: c.clear, overBound: c.over, maxClearMarkup: c.max, r2: markupFidelity(y, m, test).r2 };
  }
  const second = guardLeaves(first.tree, X, table, y, isClear, options, minGain, a.ctx, firstLeafOf);
  const tree = second.tree;

  const leafOf = second.guarded.length === 0 ? firstLeafOf : applyTree(tree, X), markup = leafValues(tree, leafOf);
  const sessions = new Float64Array(tree.nodeCount), clearAt = new Float64Array(tree.nodeCount);
  for (const r of table) { sessions[leafOf[r]!]! += 1; clearAt[leafOf[r]!]! += isClear[r]!; }
  const cappedLeaves: CappedLeaf[] = [...first.capped, ...second.capped]
    .map((c) => ({ leaf: c.leaf, from: c.from, to: tree.value[c.leaf]!, clearSessions: clearAt[c.leaf]!, sessions: sessions[c.leaf]! }))
    .sort((p, q) => p.leaf - q.leaf);
  const final = clearCharges(table, isClear, markup, options.maxMarkup);
  const outcome: HumanSafeOutcome = {
    rule: HUMAN_SAFE_RULE, method: 'guard', maxPAgent: options.maxPAgent, maxMarkup: options.maxMarkup, clearSessions: final.clear,
    guardedRules: { training: first.guarded.length, table: second.guarded.length }, heldOutCheck,
    cappedLeaves, repricedSessions: cappedLeaves.reduce((n, c) => n + c.sessions, 0), maxClearMarkup: final.max,
    unguarded: {
      rules: leaves(a.tree), heldOut: test.length > 0 ? markupFidelity(y, fittedStudentMarkup, test).r2 : null,
      clearOverBound: fittedClear.over, maxClearMarkup: fittedClear.max,
    },
  };
  const guardOf = new Map<number, 'training' | 'table'>([...first.newLeaves.map((l) => [l, 'training'] as const), ...second.newLeaves.map((l) => [l, 'table'] as const)]);
  return { tree, outcome, fittedStudentMarkup, guardOf, leafOf, markup };
}
