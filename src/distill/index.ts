/**
 * `phantom distill` as a library (docs/distill.md): a teacher markup per session from the classifier, a student
 * CART that reproduces it as readable rules, its fidelity on held-out sessions and the revenue impact.
 *
 * @example
 *   const run = await runDistill({ sessions: 'sessions.parquet', model: 'model.json', purchaseModel: null,
 *     targetColumn: null, tiers: null, exclude: [], priceColumn: null, command: 'notebook', phantomVersion: '0.1.0' });
 *   run.document.fidelity.heldOut?.r2; run.text; // IF/THEN rules
 */
export { teacherMarkup, resolveCoefficients, TEACHER_DEFAULTS, TEACHER_FORMULA, type MarkupCoefficients } from './teacher.js';
export { parseTiers, assignTiers, tierMarkup, tiersText, type MarkupTier } from './tiers.js';
export { holdoutSplit, type Holdout } from './holdout.js';
export { markupFidelity, tierFidelity, type Fidelity } from './fidelity.js';
export { effectiveMinSamplesLeaf, type LeafSizeDecision } from './leaf-size.js';
export { leafStats, type LeafStats } from './leaf-stats.js';
export { revenueImpact, type RevenueImpact, type RevenueInput, type RevenueLine } from './revenue.js';
export { fitPurchaseModel, PURCHASE_BOOSTER_PARAMS, PURCHASE_OUTCOME_COLUMNS, type PurchaseFit } from './purchase-model.js';
export { distill, DISTILL_DEFAULTS, type DistillInput, type DistillOptions, type DistillResult, type DistilledRule } from './distill.js';
export { loadDistillInputs, PRICE_COLUMNS, type DistillInputs, type DistillSources, type ModelInMemory, type SessionsInMemory, type TeacherDescription } from './load-inputs.js';
export { rulesDocument, rulesText, RULES_FORMAT, RULES_VERSION, TEXT_DECIMALS, type RulesDocument } from './rules-document.js';
export { capClearHumanLeaves, clearScores, HUMAN_SAFE_DEFAULTS, HUMAN_SAFE_RULE, type CappedLeaf, type HeldOutCheck, type HumanSafeOptions, type HumanSafeOutcome, type UnguardedRules } from './human-safe.js';
export { guardedStudent, guardedSubtree, guardLeaves, GUARD_DEPTH, GUARD_MIN_GAIN, type GuardCappedLeaf } from './human-safe-guard.js';
export { humanSafeSummary, type HumanSafeSummary, type RevenueCostLine } from './human-safe-summary.js';
export { runDistill, writeRules, type DistillRun, type RunDistillOptions } from './run.js';
