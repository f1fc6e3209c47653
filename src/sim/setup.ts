/**
 * A simulation setup as plain data (what `phantom simulate` resolves from its flags and hands to worker
 * threads) and its compilation into a MarketSetup: behaviour kernels over a shared vocabulary and the
 * session scorer. Class kernels come from the behaviour profiles, or from a `phantom kernels` file, which
 * then drives both the trajectories and the scorer's reference kernels.
 */
import type { Profile } from '../generate/profile.js';
import { compileBehaviour } from './behaviour.js';
import type { SimCatalog } from './catalog.js';
import type { MarketSetup } from './market.js';
import type { MarketParams } from './params.js';
import { kernelGapScorer, profileRows, type GapScorerOptions, type KernelRows } from './session-scorer.js';

export interface ClassKernels {
  human: KernelRows;
  agent: KernelRows;
  /** true when the rows are raw transition counts (smoothing then applies to counts directly) */
  counts: boolean;
  source: string;
  /** the file's full state vocabulary (states without transitions still take part in smoothing) */
  vocabulary?: string[];
}

export interface SimSetupData {
  catalog: SimCatalog;
  params: MarketParams;
  profiles: { human: Profile; agent: Profile };
  /** overrides the profiles' kernels when given */
  kernels: ClassKernels | null;
  scorer: GapScorerOptions;
}

/**
 * Compile plain setup data for the market.
 * @example const setup = compileSetup({ catalog: studySimCatalog(), params: resolveMarketParams({ alpha: 0.3 }), profiles, kernels: null, scorer: GAP_SCORER_DEFAULTS })
 */
export function compileSetup(data: SimSetupData): MarketSetup {
  const k = data.kernels;
  const profiles = k === null ? data.profiles : { human: { ...data.profiles.human, kernel: k.human }, agent: { ...data.profiles.agent, kernel: k.agent } };
  const behaviour = compileBehaviour(profiles, k?.vocabulary ?? []);
  const human = k === null ? profileRows(data.profiles.human) : k.human;
  const agent = k === null ? profileRows(data.profiles.agent) : k.agent;
  const scorer = kernelGapScorer(behaviour.states, human, agent, { ...data.scorer, counts: k?.counts ?? false });
  return { catalog: data.catalog, params: data.params, behaviour, scorer };
}

/** The same setup at another contamination ratio. */
export function withAlpha(data: SimSetupData, alpha: number): SimSetupData {
  return { ...data, params: { ...data.params, alpha } };
}
