/**
 * Public API of the contaminated dynamic-pricing market (docs/simulator.md), usable without the CLI.
 *
 * @example
 *   const setup = compileSetup({ catalog: studySimCatalog(), params: resolveMarketParams({ alpha: 0.3 }), profiles, kernels: null, scorer: GAP_SCORER_DEFAULTS });
 *   const run = runSimulation(setup, { policy: parsePolicyName('defended-surge'), seed: 1, steps: 200, params: POLICY_DEFAULTS, model: null });
 *   run.metrics.revenue;
 */
export { MARKET_DEFAULTS, resolveMarketParams, type MarketParams, type ClassParams } from './params.js';
export { parseMarketOverrides, type MarketOverrides } from './market-overrides.js';
export { studySimCatalog, randomSimCatalog, readSimCatalog, BOUNDS_DEFAULTS, type SimCatalog } from './catalog.js';
export { compileBehaviour, type Behaviour } from './behaviour.js';
export { kernelGapScorer, profileRows, GAP_SCORER_DEFAULTS, type SessionScorer, type KernelRows, type GapScorerOptions } from './session-scorer.js';
export { compileSetup, withAlpha, type SimSetupData, type ClassKernels } from './setup.js';
export { kernelsFromModel } from './kernels-source.js';
export { createMarket, type Market, type MarketSetup, type MarketTruth, type StepOutcome } from './market.js';
export { calibrateContamination, type ContaminationModel } from './contamination-model.js';
export { humanBuyProbability, agentBuyProbability, bestHumanMultiplier } from './response-curves.js';
export { POLICY_DEFAULTS, DEFAULT_ARMS, resolvePolicyParams, parseThreshold } from './policies/policy-params.js';
export { BASE_POLICIES, parsePolicyName, createPolicy, type PolicyName } from './policies/registry.js';
export { shermanMorrisonUpdate } from './policies/sherman-morrison.js';
export type { PricingPolicy, PolicyEnv, PolicyParams, StepView } from './policies/types.js';
export { runSimulation, type RunSpec, type RunResult } from './run.js';
export type { RunMetrics } from './run-metrics.js';
export { runGrid, gridJobs, type GridResult, type GridOptions } from './grid.js';
export { runCell, type GridSpec, type GridRow, type RunTrace } from './grid-cell.js';
export { runsCsv, RUN_COLUMNS } from './runs-csv.js';
export { summarise, regressOnAlpha, defenceGains, ols, SUMMARY_METRICS, type SummaryCell, type AlphaRegression, type DefenceGain } from './summary.js';
