/**
 * One cell of the experiment grid: every requested policy (and the oracle, for regret) on the same
 * seeded market at one contamination ratio — common random numbers, so differences between policies
 * are not drowned by market noise. Pure: the same cell gives the same rows in any thread.
 */
import { calibrateContamination, type ContaminationModel } from './contamination-model.js';
import type { MarketSetup } from './market.js';
import { parsePolicyName } from './policies/registry.js';
import type { PolicyParams } from './policies/types.js';
import { runSimulation, type RunResult } from './run.js';
import type { RunMetrics } from './run-metrics.js';
import { compileSetup, withAlpha, type SimSetupData } from './setup.js';

export interface GridSpec {
  setup: SimSetupData;
  alphas: number[];
  policies: string[];
  seeds: number[];
  steps: number;
  params: PolicyParams;
  /** keep per-step traces of the first seed at this α (null: none) */
  traceAlpha: number | null;
}

export interface GridRow extends RunMetrics {
  alpha: number;
  policy: string;
  seed: number;
  steps: number;
  /** revenue(oracle) − revenue(policy) on the same market */
  regret: number;
}

export interface RunTrace {
  policy: string;
  alpha: number;
  seed: number;
  multiplier: number[];
  revenue: number[];
}

export interface CellJob {
  alphaIndex: number;
  seedIndex: number;
}

export interface CellResult {
  job: CellJob;
  rows: GridRow[];
  traces: RunTrace[];
}

/** Compiled setups and contamination models per α, reused across cells of one thread. */
export interface CellCache {
  setups: Map<number, MarketSetup>;
  models: Map<number, ContaminationModel>;
}

/** An empty cache (one per thread). @example const cache = newCellCache() */
export function newCellCache(): CellCache {
  return { setups: new Map(), models: new Map() };
}

/**
 * Run one cell.
 * @example const r = runCell(spec, { alphaIndex: 0, seedIndex: 0 }, newCellCache())
 */
export function runCell(spec: GridSpec, job: CellJob, cache: CellCache): CellResult {
  const alpha = spec.alphas[job.alphaIndex]!, seed = spec.seeds[job.seedIndex]!;
  let setup = cache.setups.get(alpha);
  if (setup === undefined) { setup = compileSetup(withAlpha(spec.setup, alpha)); cache.setups.set(alpha, setup); }
  const names = spec.policies.map(parsePolicyName);
  let model: ContaminationModel | null = null;
  if (names.some((n) => n.wrappers.includes('robust'))) {
    model = cache.models.get(alpha) ?? calibrateContamination(setup);
    cache.models.set(alpha, model);
  }
  const run = (name: string): RunResult => runSimulation(setup, { policy: parsePolicyName(name), seed, steps: spec.steps, params: spec.params, model });
  const results = spec.policies.map(run);
  const oracle = results[spec.policies.indexOf('oracle')] ?? run('oracle');
  const keepTraces = spec.traceAlpha !== null && Math.abs(alpha - spec.traceAlpha) < 1e-12 && job.seedIndex === 0;
  return {
    job,
    rows: results.map((r) => ({ alpha, policy: r.policy, seed, steps: spec.steps, ...r.metrics, regret: oracle.metrics.revenue - r.metrics.revenue })),
    traces: keepTraces ? results.map((r) => ({ policy: r.policy, alpha, seed, multiplier: Array.from(r.multiplierTrace), revenue: Array.from(r.revenueTrace) })) : [],
  };
}
