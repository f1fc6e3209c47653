/**
 * The distillation itself, as data in → data out: hold out sessions, fit the student CART (regression on
 * the teacher markup, or classification on markup tiers) on the rest, measure its fidelity on the held-out
 * sessions, and describe every leaf as a rule with what it covers.
 */
import { UsageError } from '../errors.js';
import {
  applyTree, exportRules, fitClassificationTree, fitRegressionTree, leafValues, predictTree,
  type CartParams, type CartTree, type DenseMatrix, type RuleCondition,
} from '../models/cart/index.js';
import { takeRows } from '../models/dataset/take-rows.js';
import type { Rng } from '../stats/rng.js';
import { degenerateStudentWarnings } from './degenerate.js';
import { markupFidelity, tierFidelity, type Fidelity } from './fidelity.js';
import { holdoutSplit } from './holdout.js';
import { cloneTree } from './human-safe-refine.js';
import { guardedStudent } from './human-safe-guard.js';
import { capClearHumanLeaves, clearScores, HUMAN_SAFE_DEFAULTS, type HumanSafeOptions, type HumanSafeOutcome } from './human-safe.js';
import { effectiveMinSamplesLeaf, type LeafSizeDecision } from './leaf-size.js';
import { leafStats } from './leaf-stats.js';
import { assignTiers, tierMarkup, type MarkupTier } from './tiers.js';

/** The one definition of distill's defaults (docs/distill.md). */
export const DISTILL_DEFAULTS = Object.freeze({ maxDepth: 5, minSamplesLeaf: 50, testSize: 0.2, seed: 42 });

export interface DistillInput {
  /** student features, one row per session */
  X: DenseMatrix;
  /** regression: the teacher markup; tiers: the score the tiers cut (p_agent or a score column). NaN rows are left out. */
  target: Float64Array;
  /** p_agent per session, for the rules' coverage (null without a classifier) */
  pAgent: Float64Array | null;
  /** the classifier's raw (uncalibrated) p_agent per session, which decides who is a clear human (null without a classifier) */
  rawPAgent?: Float64Array | null;
  /** is_agent −1/0/1 per session, or null */
  isAgent: Int8Array | null;
}

export interface DistillOptions {
  maxDepth?: number;
  minSamplesLeaf?: number;
  /** scale minSamplesLeaf down on small data (default true; false when the user chose it) */
  scaleMinSamplesLeaf?: boolean;
  minSamplesSplit?: number;
  minImpurityDecrease?: number;
  testSize?: number;
  /** classification over these tiers instead of regression on the markup */
  tiers?: readonly MarkupTier[] | null;
  /** the human-safe rules (src/distill/human-safe.ts), applied when rawPAgent is given; default HUMAN_SAFE_DEFAULTS, null = off */
  humanSafe?: HumanSafeOptions | null;
  rng: Rng;
}

export interface DistilledRule {
  /** 1-based, in the order of the text output */
  rule: number;
  leaf: number;
  conditions: RuleCondition[];
  markup: number;
  /** training sessions at the leaf (the leaf's markup is their mean teacher markup, or their majority tier) */
  samples: number;
  /** sessions of the whole dataset reaching the leaf */
  sessions: number;
  meanPAgent: number | null;
  meanTeacherMarkup: number | null;
  agentShare: number | null;
  /** sessions reaching the leaf whose raw or calibrated p_agent makes them clear humans (null without the human-safe rule) */
  clearSessions?: number | null;
  /** the rule is a leaf of a guarded subtree (src/distill/human-safe-guard.ts), grown in the training pass or the table pass;
   * `samples` then counts the sessions it was fitted on (training sessions, or the table's in the table pass) */
  guard?: 'training' | 'table';
  /** the leaf's fitted markup, when the human-safe rule lowered it to `markup` */
  fittedMarkup?: number;
  /** tiers only */
  tier?: number;
  tierShares?: number[];
}

export interface DistillResult {
  mode: 'regression' | 'tiers';
  tree: CartTree;
  leafSize: LeafSizeDecision;
  split: { testSize: number; trainRows: number; testRows: number; leftOutRows: number };
  fidelity: { heldOut: Fidelity | null; train: Fidelity };
  rules: DistilledRule[];
  /** per session (NaN where the target was missing) */
  teacherMarkup: Float64Array;
  studentMarkup: Float64Array;
  /** the human-safe leaf rule's outcome, and the student's markups before it (null when it did not apply) */
  humanSafe: (HumanSafeOutcome & { fittedStudentMarkup: Float64Array; guardOf?: Map<number, 'training' | 'table'> }) | null;
  tiers: MarkupTier[] | null;
  /** things that change how the result should be read (e.g. a scaled-down leaf size) */
  warnings: string[];
  notes: string[];
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Clear sessions (min(raw, calibrated p_agent) below the bound) reaching each node (leafOf: applyTree(tree, X)). */
function leafClearCounts(tree: CartTree, leafOf: Int32Array, clear: Float64Array, maxPAgent: number): Float64Array {
  const counts = new Float64Array(tree.nodeCount);
  for (let r = 0; r < leafOf.length; r++) if (clear[r]! < maxPAgent) counts[leafOf[r]!]! += 1;
  return counts;
}

/**
 * Fit and evaluate the student.
 * @example const r = distill({ X, target: markup, pAgent, isAgent: null }, { rng: createRng(42).fork() }); r.fidelity.heldOut?.r2
 */
export function distill(input: DistillInput, options: DistillOptions): DistillResult {
  const { X, target, pAgent, isAgent } = input;
  if (target.length !== X.nRows) throw new UsageError(`target has ${target.length} values for ${X.nRows} sessions`);
  const tiers = options.tiers ? [...options.tiers] : null;
  const usable = Int32Array.from({ length: X.nRows }, (_, i) => i).filter((i) => Number.isFinite(target[i]!));
  if (usable.length < 2) throw new UsageError(`distill needs at least 2 sessions with a target; found ${usable.length}`);
  const notes: string[] = [];
  if (usable.length < X.nRows) notes.push(`${X.nRows - usable.length} sessions have no target value and are left out of fitting and fidelity`);

  const split = holdoutSplit(usable, options.testSize ?? DISTILL_DEFAULTS.testSize, options.rng.fork());
  const maxDepth = options.maxDepth ?? DISTILL_DEFAULTS.maxDepth;
  const leafSize = effectiveMinSamplesLeaf(split.train.length, maxDepth,
    options.minSamplesLeaf ?? DISTILL_DEFAULTS.minSamplesLeaf, options.scaleMinSamplesLeaf ?? true);
  const warnings = leafSize.reason === null ? [] : [leafSize.reason];
  const params: Partial<CartParams> = {
    maxDepth, minSamplesLeaf: leafSize.used,
    ...(options.minSamplesSplit !== undefined ? { minSamplesSplit: options.minSamplesSplit } : {}),
    ...(options.minImpurityDecrease !== undefined ? { minImpurityDecrease: options.minImpurityDecrease } : {}),
  };
  const Xtrain = takeRows(X, split.train);
  const treeCtx = { rng: options.rng.fork() };

  let tree: CartTree, teacherMarkup: Float64Array, studentMarkup: Float64Array;
  let heldOut: Fidelity | null, train: Fidelity;
  let humanSafe: DistillResult['humanSafe'] = null;
  const safeOptions = options.humanSafe === undefined ? HUMAN_SAFE_DEFAULTS : options.humanSafe;
  const clear = input.rawPAgent == null ? null : clearScores(input.rawPAgent, pAgent);
  const guardCtx = { rng: options.rng.fork() };
  /** Regression: the guarded student (src/distill/human-safe-guard.ts). Tiers: the fitted tree capped. */
  /** …and applyTree(tree, X) of the tree returned, when the guard walked it already (null otherwise) */
  const guard = (fitted: CartTree, y: Float64Array, tierList: MarkupTier[] | null): [CartTree, DistillResult['humanSafe'], Int32Array | null] => {
    if (safeOptions === null || clear === null || pAgent === null) return [fitted, null, null];
    if (tierList === null) {
      const safe = guardedStudent({ tree: fitted, X, train: split.train, test: split.test, y, clearScore: clear, options: safeOptions, ctx: guardCtx });
      return [safe.tree, { ...safe.outcome, fittedStudentMarkup: safe.fittedStudentMarkup, guardOf: safe.guardOf }, safe.leafOf];
    }
    const fittedStudentMarkup = tierMarkup(predictTree(fitted, X), tierList);
    const before = unguardedTiers(fitted, y, tierList, fittedStudentMarkup);
    const capped = cloneTree(fitted);
    const outcome = capClearHumanLeaves(capped, X, clear, tierList, safeOptions);
    return [capped, { ...outcome, method: 'cap', guardedRules: { training: 0, table: 0 }, heldOutCheck: null, unguarded: before, fittedStudentMarkup }, null];
  };
  const unguardedTiers = (fitted: CartTree, teacherTier: Float64Array, tierList: MarkupTier[], markup: Float64Array) => {
    let over = 0, max = -Infinity;
    for (let r = 0; r < X.nRows; r++) {
      if (!(clear![r]! < safeOptions!.maxPAgent) || !Number.isFinite(target[r]!)) continue;
      if (markup[r]! > safeOptions!.maxMarkup) over++;
      max = Math.max(max, markup[r]!);
    }
    const studentTier = predictTree(fitted, X);
    const acc = split.test.length > 0 ? tierFidelity(Int32Array.from(teacherTier), studentTier, tierList.map((t) => t.markup), split.test).accuracy ?? null : null;
    return { rules: fitted.left.reduce((n, l) => n + (l === -1 ? 1 : 0), 0), heldOut: acc, clearOverBound: over, maxClearMarkup: Number.isFinite(max) ? max : null };
  };
  let leafOf: Int32Array | null;
  if (tiers === null) {
    tree = fitRegressionTree(Xtrain, Float64Array.from(split.train, (i) => target[i]!), params, treeCtx);
    teacherMarkup = Float64Array.from(target);
    [tree, humanSafe, leafOf] = guard(tree, target, null);
    leafOf ??= applyTree(tree, X);
    studentMarkup = leafValues(tree, leafOf);
    heldOut = split.test.length > 0 ? markupFidelity(teacherMarkup, studentMarkup, split.test) : null;
    train = markupFidelity(teacherMarkup, studentMarkup, split.train);
  } else {
    const teacherTier = assignTiers(target, tiers);
    tree = fitClassificationTree(Xtrain, Int32Array.from(split.train, (i) => teacherTier[i]!), params, treeCtx, tiers.length);
    [tree, humanSafe] = guard(tree, Float64Array.from(teacherTier), tiers);
    leafOf = applyTree(tree, X);
    const studentTier = leafValues(tree, leafOf);
    teacherMarkup = tierMarkup(teacherTier, tiers);
    studentMarkup = tierMarkup(studentTier, tiers);
    const markups = tiers.map((t) => t.markup);
    heldOut = split.test.length > 0 ? tierFidelity(teacherTier, studentTier, markups, split.test) : null;
    train = tierFidelity(teacherTier, studentTier, markups, split.train);
  }
  if (heldOut === null) notes.push('no held-out sessions (--test-size 0): fidelity is measured on the training sessions only');

  const stats = leafStats(tree, X, pAgent, teacherMarkup, isAgent, leafOf);
  const capped = new Map((humanSafe?.cappedLeaves ?? []).map((c) => [c.leaf, c]));
  const clearAt = humanSafe === null ? null : leafClearCounts(tree, leafOf, clear!, humanSafe.maxPAgent);
  const rules = exportRules(tree).map((r, k): DistilledRule => {
    const rule: DistilledRule = {
      rule: k + 1, leaf: r.leaf, conditions: r.conditions,
      markup: tiers === null ? r.value : tiers[r.value]!.markup,
      samples: r.samples, sessions: stats.sessions[r.leaf]!,
      meanPAgent: orNull(stats.meanPAgent[r.leaf]!), meanTeacherMarkup: orNull(stats.meanTeacher[r.leaf]!),
      agentShare: orNull(stats.agentShare[r.leaf]!),
    };
    if (clearAt !== null) rule.clearSessions = clearAt[r.leaf]!;
    const pass = humanSafe?.guardOf?.get(r.leaf);
    if (pass !== undefined) rule.guard = pass;
    const cap = capped.get(r.leaf);
    if (cap !== undefined) rule.fittedMarkup = cap.from;
    if (tiers !== null) { rule.tier = r.value; rule.tierShares = r.proba ?? []; }
    return rule;
  });
  warnings.push(...degenerateStudentWarnings(rules.length, heldOut, tiers === null ? 'regression' : 'tiers', leafSize.used));
  return {
    mode: tiers === null ? 'regression' : 'tiers', tree, leafSize,
    split: { testSize: split.testSize, trainRows: split.train.length, testRows: split.test.length, leftOutRows: X.nRows - usable.length },
    fidelity: { heldOut, train }, rules, teacherMarkup, studentMarkup, humanSafe, tiers, warnings, notes,
  };
}
