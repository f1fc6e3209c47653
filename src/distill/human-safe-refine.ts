/**
 * The other way to keep clear humans cheap (docs/distill.md, "Human-safe rules"): instead of capping a leaf that
 * mixes clear humans with dearer sessions, grow it further — a regression subtree on the leaf's own training
 * sessions (same criterion, at most REFINE_DEPTH more levels, leaves of at least REFINE_LEAF_SHARE of the student's leaf
 * size: a lone clear human in an agent leaf needs a small leaf to be told apart) grafted in its place — so the
 * clear humans may land in a leaf of their own and the rest keeps its markup. The cap then still applies to
 * whatever stays mixed; distill keeps whichever of the two students keeps more expected agent markup.
 */
import { applyTree, fitClassificationTree, fitRegressionTree, predictTree, type CartContext, type CartParams, type CartTree, type DenseMatrix } from '../models/cart/index.js';
import { takeRows } from '../models/dataset/take-rows.js';
import { capClearHumanLeaves, type HumanSafeOptions, type HumanSafeOutcome } from './human-safe.js';
import { tierMarkup, type MarkupTier } from './tiers.js';

/** Levels a mixed leaf may grow by, and the share of the student's leaf size its new leaves must hold (chosen on
 * 3,000 generated sessions: agent revenue cost 20 % → 10 % of the rules', 16 → 37 rules; docs/distill.md). */
export const REFINE_DEPTH = 3;
export const REFINE_LEAF_SHARE = 0.2;

/** A deep copy (the cap writes into its tree). */
export function cloneTree(t: CartTree): CartTree {
  return {
    ...t, params: { ...t.params }, featureNames: [...t.featureNames],
    left: t.left.slice(), right: t.right.slice(), feature: t.feature.slice(), threshold: t.threshold.slice(), defaultLeft: t.defaultLeft.slice(),
    value: t.value.slice(), classProba: t.classProba.slice(), nSamples: t.nSamples.slice(), weightedSamples: t.weightedSamples.slice(), impurity: t.impurity.slice(),
  };
}

/** How a mixed leaf is grown: splits that best fit the teacher markup, or that best tell clear sessions from the rest (Gini). */
export type RefineBy = 'markup' | 'clear';

/** A classification tree's splits with regression nodes: value = mean y, impurity = variance of y over the rows reaching each node. */
function asMarkupTree(t: CartTree, X: DenseMatrix, y: Float64Array): CartTree {
  const sum = new Float64Array(t.nodeCount), sq = new Float64Array(t.nodeCount), n = new Float64Array(t.nodeCount);
  for (let r = 0; r < X.nRows; r++) {
    let node = 0;
    for (;;) {
      sum[node]! += y[r]!; sq[node]! += y[r]! * y[r]!; n[node]! += 1;
      if (t.left[node] === -1) break;
      const x = X.values[r * X.nCols + t.feature[node]!]!;
      node = x <= t.threshold[node]! || (x !== x && t.defaultLeft[node] === 1) ? t.left[node]! : t.right[node]!;
    }
  }
  const value = Float64Array.from(sum, (v, i) => v / n[i]!), impurity = Float64Array.from(sq, (v, i) => v / n[i]! - value[i]! ** 2);
  return { ...t, kind: 'regression', criterion: 'squared_error', nClasses: 0, classProba: new Float64Array(0), value, impurity };
}

/** Replace leaf `at` of `t` by the subtree `s` (its root takes the leaf's id, the rest is appended). */
function graft(t: CartTree, at: number, s: CartTree): CartTree {
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

/**
 * A copy of the regression tree `tree` whose leaves that hold a clear session (of X) and charge more than
 * `maxMarkup` are each grown by a subtree fitted on their training rows.
 * @param train row indexes of X the tree was fitted on; @param y the teacher markup per row of X
 * @example const refined = refineMixedLeaves(tree, X, split.train, markup, clear, { maxPAgent: 0.1, maxMarkup: 1.02 }, params, ctx);
 */
export function refineMixedLeaves(tree: CartTree, X: DenseMatrix, train: Int32Array, y: Float64Array, clearScore: Float64Array,
  bounds: { maxPAgent: number; maxMarkup: number }, params: Partial<CartParams>, ctx: CartContext, by: RefineBy = 'markup'): { tree: CartTree; refined: number } {
  const leafOf = applyTree(tree, X);
  const mixed = new Set<number>();
  for (let r = 0; r < leafOf.length; r++) {
    if (clearScore[r]! < bounds.maxPAgent && tree.value[leafOf[r]!]! > bounds.maxMarkup) mixed.add(leafOf[r]!);
  }
  let out = cloneTree(tree), refined = 0;
  for (const leaf of [...mixed].sort((a, b) => a - b)) {
    const rows = Int32Array.from(train.filter((r) => leafOf[r] === leaf));
    const Xs = takeRows(X, rows), ys = Float64Array.from(rows, (r) => y[r]!);
    const subParams = { ...params, maxDepth: REFINE_DEPTH, minSamplesLeaf: Math.max(1, Math.floor((params.minSamplesLeaf ?? 1) * REFINE_LEAF_SHARE)) };
    const isClear = Int32Array.from(rows, (r) => (clearScore[r]! < bounds.maxPAgent ? 1 : 0));
    if (by === 'clear' && (!isClear.includes(1) || !isClear.includes(0))) continue;
    const sub = by === 'markup' ? fitRegressionTree(Xs, ys, subParams, ctx) : asMarkupTree(fitClassificationTree(Xs, isClear, subParams, ctx, 2), Xs, ys);
    if (sub.nodeCount > 1) { out = graft(out, leaf, sub); refined++; }
  }
  return { tree: out, refined };
}

/** Σ p_agent · markup over the sessions: the agent markup a student keeps, in expectation under calibrated p_agent. */
function expectedAgentMarkup(markup: Float64Array, pAgent: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < markup.length; i++) if (pAgent[i] === pAgent[i] && markup[i] === markup[i]) sum += pAgent[i]! * markup[i]!;
  return sum;
}

export interface HumanSafeCandidate { expectedAgentMarkup: number; leaves: number; refinedLeaves: number }

export interface HumanSafeChoice {
  /** 'cap': the fitted leaves capped; 'refine-markup' / 'refine-clear': mixed leaves grown (RefineBy), then capped */
  choice: 'cap' | 'refine-markup' | 'refine-clear';
  chosenBy: string;
  /** a refine candidate is null when no mixed leaf could be split that way */
  candidates: { cap: HumanSafeCandidate; 'refine-markup': HumanSafeCandidate | null; 'refine-clear': HumanSafeCandidate | null };
}

/**
 * The student with the human-safe rule applied: the capped tree, or a refined-then-capped one when that keeps
 * more expected agent markup (Σ calibrated p_agent · markup over the table; ties go to the earlier of cap,
 * refine-markup, refine-clear). Tiers: the cap only.
 * @example const safe = humanSafeStudent({ tree, X, train, y, clear, pAgent, tiers: null, options, params, ctx });
 */
export function humanSafeStudent(a: {
  tree: CartTree; X: DenseMatrix; train: Int32Array; y: Float64Array; clear: Float64Array; pAgent: Float64Array;
  tiers: readonly MarkupTier[] | null; options: HumanSafeOptions; params: Partial<CartParams>; ctx: CartContext;
}): { tree: CartTree; outcome: HumanSafeOutcome & HumanSafeChoice; fittedStudentMarkup: Float64Array } {
  const markupOf = (t: CartTree) => (a.tiers === null ? predictTree(t, a.X) : tierMarkup(predictTree(t, a.X), a.tiers));
  const leaves = (t: CartTree) => t.left.reduce((n, l) => n + (l === -1 ? 1 : 0), 0);
  const fittedStudentMarkup = markupOf(a.tree);
  type Name = HumanSafeChoice['choice'];
  const built: Array<{ name: Name; tree: CartTree; refinedLeaves: number }> = [{ name: 'cap', tree: cloneTree(a.tree), refinedLeaves: 0 }];
  if (a.tiers === null) {
    for (const by of ['markup', 'clear'] as const) {
      const r = refineMixedLeaves(a.tree, a.X, a.train, a.y, a.clear, a.options, a.params, a.ctx, by);
      if (r.refined > 0) built.push({ name: `refine-${by}`, tree: r.tree, refinedLeaves: r.refined });
    }
  }
  const scored = built.map((b) => {
    const outcome = capClearHumanLeaves(b.tree, a.X, a.clear, a.tiers, a.options);
    const candidate: HumanSafeCandidate = { expectedAgentMarkup: expectedAgentMarkup(markupOf(b.tree), a.pAgent), leaves: leaves(b.tree), refinedLeaves: b.refinedLeaves };
    return { ...b, outcome, candidate };
  });
  let best = scored[0]!; // the cap is always built
  for (const c of scored) if (c.candidate.expectedAgentMarkup > best.candidate.expectedAgentMarkup * (1 + 1e-12)) best = c;
  const of = (name: Name) => scored.find((c) => c.name === name)?.candidate ?? null;
  const candidates: HumanSafeChoice['candidates'] = { cap: scored[0]!.candidate, 'refine-markup': of('refine-markup'), 'refine-clear': of('refine-clear') };
  const figures = scored.map((c) => `${c.name} ${c.candidate.expectedAgentMarkup.toFixed(4)}`).join(', ');
  const chosenBy = `the larger expected agent markup, sum of calibrated p_agent x markup over the table (${figures}); ties go to the earlier of cap, refine-markup, refine-clear`;
  return { tree: best.tree, outcome: { ...best.outcome, choice: best.name, chosenBy, candidates }, fittedStudentMarkup };
}
