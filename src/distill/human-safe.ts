/**
 * The human-safe rules (docs/distill.md, "Human-safe rules"): a clear human — a session whose classifier
 * probability, raw or calibrated (whichever is lower), is below `maxPAgent` — must not pay more than `maxMarkup`.
 * This file holds the bounds, who is clear, the outcome reported in rules.json, and the cap: a leaf reached by a
 * clear session is priced at most `maxMarkup` (tiers: the dearest tier at or under it). Regression students are
 * grown before anything is capped (src/distill/human-safe-guard.ts), so the cap only prices leaves that still mix.
 * New values are written into the tree itself, so rules.json, rules.txt and `phantom serve --rules` all price by them.
 */
import type { CartTree, DenseMatrix } from '../models/cart/index.js';
import { applyTree } from '../models/cart/index.js';
import type { MarkupTier } from './tiers.js';

/** The one definition of the guarantee's defaults. */
export const HUMAN_SAFE_DEFAULTS = Object.freeze({ maxPAgent: 0.1, maxMarkup: 1.02 });

export interface HumanSafeOptions {
  /** a session is a clear human when its raw or its calibrated p_agent is below this */
  maxPAgent: number;
  /** the most a leaf reached by a clear human may charge */
  maxMarkup: number;
}

export interface CappedLeaf {
  leaf: number;
  /** the leaf's markup as fitted */
  from: number;
  /** the markup it charges now */
  to: number;
  clearSessions: number;
  sessions: number;
}

/** The rules before the human-safe rule, for comparison. */
export interface UnguardedRules {
  rules: number;
  /** held-out R² (regression) or accuracy (tiers) of the fitted rules; null without held-out sessions */
  heldOut: number | null;
  /** clear sessions of the table the fitted rules charge more than maxMarkup, and the most any clear session pays */
  clearOverBound: number;
  maxClearMarkup: number | null;
}

/** The guard fitted on the training sessions only, checked on the held-out ones (before the table pass). */
export interface HeldOutCheck {
  clearSessions: number;
  /** held-out clear sessions charged more than maxMarkup by the training-pass rules */
  overBound: number;
  maxClearMarkup: number | null;
  /** held-out R² of the training-pass rules */
  r2: number | null;
}

export interface HumanSafeOutcome {
  rule: string;
  /** 'guard': mixed rules grown further (regression, src/distill/human-safe-guard.ts); 'cap': mixed leaves capped (tiers) */
  method: 'guard' | 'cap';
  maxPAgent: number;
  maxMarkup: number;
  /** sessions of the table whose raw or calibrated p_agent is below maxPAgent */
  clearSessions: number;
  /** rules of the fitted tree grown into guarded subtrees: in the training pass, and in the table pass */
  guardedRules: { training: number; table: number };
  heldOutCheck: HeldOutCheck | null;
  /** leaves reached by a clear session whose markup was lowered to maxMarkup */
  cappedLeaves: CappedLeaf[];
  /** sessions (clear or not) at a capped leaf */
  repricedSessions: number;
  /** the largest markup any clear session of the table gets from the rules as written */
  maxClearMarkup: number | null;
  unguarded: UnguardedRules;
}

/** What the cap alone decides (the rest of HumanSafeOutcome is filled by distill). */
export type CapOutcome = Pick<HumanSafeOutcome, 'rule' | 'maxPAgent' | 'maxMarkup' | 'clearSessions' | 'cappedLeaves' | 'repricedSessions' | 'maxClearMarkup'>;

/** Levels a guarded subtree may grow before pruning (src/distill/human-safe-guard.ts). */
export const GUARD_DEPTH = 8;
/** A split of a guarded subtree stays when it lowers the capped loss by at least this share of the training sum of squares. */
export const GUARD_MIN_GAIN = 1e-3;

export const HUMAN_SAFE_RULE = `clear human: min(raw p_agent, calibrated p_agent) < maxPAgent. Regression: every rule a clear training session reaches with a markup above maxMarkup is grown into a guarded subtree (Gini on clear vs not, at most ${GUARD_DEPTH} levels, pruned where a split lowers the capped loss by less than ${GUARD_MIN_GAIN} x the training sum of squares; a leaf holding a clear human charges min(mean markup, maxMarkup)); then the same for clear held-out sessions the training pass missed (table pass). Tiers: every leaf reached by a clear session charges the dearest tier with markup <= maxMarkup`;

/**
 * What decides who is a clear human: the lower of the raw and the calibrated p_agent, so the guarantee holds
 * for either reading of "clear" (raw p is squeezed toward the base rate on small data; Platt can lift it).
 * @example clearScores(Float64Array.of(0.2, NaN), Float64Array.of(0.05, 0.3)); // [0.05, 0.3]
 */
export function clearScores(raw: Float64Array, calibrated: Float64Array | null): Float64Array {
  return Float64Array.from(raw, (r, i) => {
    const c = calibrated === null ? NaN : calibrated[i]!;
    return r !== r ? c : c !== c ? r : Math.min(r, c);
  });
}

/** The tier a capped leaf moves to: the dearest at or under the bound, else the cheapest. */
function safeTier(tiers: readonly MarkupTier[], maxMarkup: number): number {
  let best = -1;
  for (let k = 0; k < tiers.length; k++) {
    const m = tiers[k]!.markup;
    if (m <= maxMarkup && (best < 0 || m > tiers[best]!.markup)) best = k;
  }
  if (best >= 0) return best;
  for (let k = 0; k < tiers.length; k++) if (best < 0 || tiers[k]!.markup < tiers[best]!.markup) best = k;
  return best;
}

/**
 * Cap, in place, the leaves of `tree` that a clear session reaches.
 * @param clearScore per row of X, min(raw, calibrated p_agent) (NaN = unknown, never clear); see clearScores
 * @param tiers null for a regression tree (leaf value = markup), else the markup of each class
 * @example const outcome = capClearHumanLeaves(tree, X, clearScores(raw, calibrated), null, HUMAN_SAFE_DEFAULTS);
 */
export function capClearHumanLeaves(tree: CartTree, X: DenseMatrix, clearScore: Float64Array, tiers: readonly MarkupTier[] | null,
  options: HumanSafeOptions): CapOutcome {
  const leafOf = applyTree(tree, X);
  const clear = new Float64Array(tree.nodeCount), sessions = new Float64Array(tree.nodeCount);
  let clearSessions = 0;
  for (let r = 0; r < leafOf.length; r++) {
    sessions[leafOf[r]!]! += 1;
    if (clearScore[r]! < options.maxPAgent) { clear[leafOf[r]!]! += 1; clearSessions++; }
  }
  const markupOf = (v: number) => (tiers === null ? v : tiers[v]!.markup);
  const target = tiers === null ? options.maxMarkup : safeTier(tiers, options.maxMarkup);
  const cappedLeaves: CappedLeaf[] = [];
  let repriced = 0, maxClear = -Infinity;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.left[node] !== -1 || clear[node] === 0) continue;
    const from = markupOf(tree.value[node]!);
    if (from > options.maxMarkup && markupOf(target) < from) {
      tree.value[node] = target;
      cappedLeaves.push({ leaf: node, from, to: markupOf(target), clearSessions: clear[node]!, sessions: sessions[node]! });
      repriced += sessions[node]!;
    }
    maxClear = Math.max(maxClear, markupOf(tree.value[node]!));
  }
  return {
    rule: HUMAN_SAFE_RULE, maxPAgent: options.maxPAgent, maxMarkup: options.maxMarkup, clearSessions, cappedLeaves,
    repricedSessions: repriced, maxClearMarkup: clearSessions > 0 ? maxClear : null,
  };
}
