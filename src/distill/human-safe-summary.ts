/**
 * rules.json's `humanSafe` block: what the human-safe rules did (src/distill/human-safe.ts, human-safe-guard.ts) and
 * what the guarantee costs — the revenue of the fitted (unguarded) rules against the rules as written, in the same
 * static-demand accounting as `revenue` (docs/distill.md).
 */
import type { HumanSafeOutcome } from './human-safe.js';
import type { RevenueImpact } from './revenue.js';

export interface RevenueCostLine {
  /** the revenue of the fitted rules, before the human-safe rule */
  fittedRules: number;
  /** the rules' revenue as written (guarded) */
  guaranteedRules: number;
  /** fittedRules − guaranteedRules (negative when the guarded rules, deeper where they grew, charge more in total) */
  cost: number;
  /** cost / fittedRules (null when fittedRules is 0) */
  share: number | null;
}

export interface HumanSafeSummary extends HumanSafeOutcome {
  /** null without a price column; `agent` / `human` null without labels */
  revenueCost: { label: string; priceColumn: string; basis: string; total: RevenueCostLine; agent: RevenueCostLine | null; human: RevenueCostLine | null } | null;
}

function costLine(guaranteed: number, fitted: number): RevenueCostLine {
  return { fittedRules: fitted, guaranteedRules: guaranteed, cost: fitted - guaranteed, share: fitted !== 0 ? (fitted - guaranteed) / fitted : null };
}

/**
 * @param guaranteed revenue at the capped markups (rules.json's `revenue`); @param fitted the same at the fitted markups
 * @example humanSafeSummary(result.humanSafe, revenue, revenueAt(result.humanSafe.fittedStudentMarkup))
 */
export function humanSafeSummary(outcome: HumanSafeOutcome, guaranteed: RevenueImpact | null, fitted: RevenueImpact | null): HumanSafeSummary {
  const { rule, method, maxPAgent, maxMarkup, clearSessions, guardedRules, heldOutCheck, cappedLeaves, repricedSessions, maxClearMarkup, unguarded } = outcome;
  const revenueCost = guaranteed === null || fitted === null ? null : {
    label: guaranteed.label, priceColumn: guaranteed.priceColumn, basis: guaranteed.basis,
    total: costLine(guaranteed.studentRevenue, fitted.studentRevenue),
    agent: guaranteed.byClass && fitted.byClass ? costLine(guaranteed.byClass.agent.studentRevenue, fitted.byClass.agent.studentRevenue) : null,
    human: guaranteed.byClass && fitted.byClass ? costLine(guaranteed.byClass.human.studentRevenue, fitted.byClass.human.studentRevenue) : null,
  };
  return { rule, method, maxPAgent, maxMarkup, clearSessions, maxClearMarkup, unguarded, heldOutCheck, guardedRules, cappedLeaves, repricedSessions, revenueCost };
}
