/**
 * The human-safe leaf rule (docs/distill.md): a clear human — a session whose classifier probability, raw or
 * calibrated (whichever is lower), is below `maxPAgent` — must not pay more than `maxMarkup`. A regression leaf's markup is the mean teacher
 * markup of its training sessions, so a leaf that mixes clear humans with agents charges the humans part of
 * the agents' markup. After the fit, every leaf reached by at least one clear session of the table (training
 * and held-out alike) is priced at most `maxMarkup` (tiers: the dearest tier at or under it). The capped value
 * is written into the tree itself, so rules.json, rules.txt and `phantom serve --rules` all price by it.
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

export interface HumanSafeOutcome {
  rule: string;
  maxPAgent: number;
  maxMarkup: number;
  /** sessions of the table whose raw or calibrated p_agent is below maxPAgent */
  clearSessions: number;
  /** leaves reached by a clear session whose fitted markup was above maxMarkup */
  cappedLeaves: CappedLeaf[];
  /** sessions (clear or not) whose markup the cap lowered */
  repricedSessions: number;
  /** the largest markup any clear session gets after the cap */
  maxClearMarkup: number | null;
}

export const HUMAN_SAFE_RULE = 'every leaf reached by a session of the table with min(raw p_agent, calibrated p_agent) < maxPAgent charges at most maxMarkup (tiers: the dearest tier with markup <= maxMarkup)';

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
  options: HumanSafeOptions): HumanSafeOutcome {
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
