/**
 * rules.json's `humanSafe` block: what the human-safe leaf rule did (src/distill/human-safe.ts) and what the
 * guarantee costs — the rules' revenue with the fitted leaf markups against the revenue with the capped
 * ones, in the same static-demand accounting as `revenue` (docs/distill.md).
 */
import type { HumanSafeChoice } from './human-safe-refine.js';
import type { HumanSafeOutcome } from './human-safe.js';
import type { RevenueImpact } from './revenue.js';

export interface RevenueCostLine {
  /** the rules' revenue had no leaf been capped */
  fittedRules: number;
  /** the rules' revenue as written (capped) */
  guaranteedRules: number;
  /** fittedRules − guaranteedRules (≥ 0) */
  cost: number;
  /** cost / fittedRules (null when fittedRules is 0) */
  share: number | null;
}

export interface HumanSafeSummary extends HumanSafeChoice, HumanSafeOutcome {
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
export function humanSafeSummary(outcome: HumanSafeOutcome & HumanSafeChoice, guaranteed: RevenueImpact | null, fitted: RevenueImpact | null): HumanSafeSummary {
  const { rule, maxPAgent, maxMarkup, clearSessions, cappedLeaves, repricedSessions, maxClearMarkup, choice, chosenBy, candidates } = outcome;
  const revenueCost = guaranteed === null || fitted === null ? null : {
    label: guaranteed.label, priceColumn: guaranteed.priceColumn, basis: guaranteed.basis,
    total: costLine(guaranteed.studentRevenue, fitted.studentRevenue),
    agent: guaranteed.byClass && fitted.byClass ? costLine(guaranteed.byClass.agent.studentRevenue, fitted.byClass.agent.studentRevenue) : null,
    human: guaranteed.byClass && fitted.byClass ? costLine(guaranteed.byClass.human.studentRevenue, fitted.byClass.human.studentRevenue) : null,
  };
  return { rule, maxPAgent, maxMarkup, choice, chosenBy, candidates, clearSessions, cappedLeaves, repricedSessions, maxClearMarkup, revenueCost };
}
