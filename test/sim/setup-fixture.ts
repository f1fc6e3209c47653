// Shared by the simulator tests: the built-in profiles compiled into a market setup.
import { loadProfile, type Profile } from '../../src/generate/profile.js';
import { studySimCatalog, type SimCatalog } from '../../src/sim/catalog.js';
import type { MarketSetup } from '../../src/sim/market.js';
import { resolveMarketParams, type MarketParams } from '../../src/sim/params.js';
import { resolvePolicyParams } from '../../src/sim/policies/policy-params.js';
import { parsePolicyName } from '../../src/sim/policies/registry.js';
import type { PolicyParams } from '../../src/sim/policies/types.js';
import { runSimulation, type RunResult } from '../../src/sim/run.js';
import { GAP_SCORER_DEFAULTS } from '../../src/sim/session-scorer.js';
import { compileSetup, type SimSetupData } from '../../src/sim/setup.js';

export const profiles: { human: Profile; agent: Profile } = { human: await loadProfile('human'), agent: await loadProfile('agent') };

type MarketOverrides = Parameters<typeof resolveMarketParams>[0];

export function setupData(market: MarketOverrides = {}, catalog: SimCatalog = studySimCatalog()): SimSetupData {
  return { catalog, params: resolveMarketParams(market), profiles, kernels: null, scorer: GAP_SCORER_DEFAULTS };
}

export function marketSetup(market: MarketOverrides = {}, catalog?: SimCatalog): MarketSetup {
  return compileSetup(setupData(market, catalog));
}

export function run(setup: MarketSetup, policy: string, seed: number, steps: number, params: Partial<PolicyParams> = {}): RunResult {
  return runSimulation(setup, { policy: parsePolicyName(policy), seed, steps, params: resolvePolicyParams(params), model: null });
}

export type { MarketParams };
