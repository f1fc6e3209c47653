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

/** The compiled setup of one α and, when a robust policy needs it, its contamination model (cached per thread). */
function cellSetup(spec: GridSpec, alpha: number, cache: CellCache): { setup: MarketSetup; model: ContaminationModel | null } {
  let setup = cache.setups.get(alpha);
  if (setup === undefined) { setup = compileSetup(withAlpha(spec.setup, alpha)); cache.setups.set(alpha, setup); }
  const names = spec.policies.map(parsePolicyName);
  let model: ContaminationModel | null = null;
  if (names.some((n) => n.wrappers.includes('robust'))) {
    model = cache.models.get(alpha) ?? calibrateContamination(setup);
    cache.models.set(alpha, model);
  }
  return { setup, model };
}

/** Whether a cell keeps per-step traces (the first seed at the trace α). */
function keepsTraces(spec: GridSpec, job: CellJob): boolean {
  return spec.traceAlpha !== null && Math.abs(spec.alphas[job.alphaIndex]! - spec.traceAlpha) < 1e-12 && job.seedIndex === 0;
}

/**
 * Run one cell.
 * @example const r = runCell(spec, { alphaIndex: 0, seedIndex: 0 }, newCellCache())
 */
export function runCell(spec: GridSpec, job: CellJob, cache: CellCache): CellResult {
  const alpha = spec.alphas[job.alphaIndex]!, seed = spec.seeds[job.seedIndex]!;
  const { setup, model } = cellSetup(spec, alpha, cache);
  const run = (name: string): RunResult => runSimulation(setup, { policy: parsePolicyName(name), seed, steps: spec.steps, params: spec.params, model });
  const results = spec.policies.map(run);
  const oracle = results[spec.policies.indexOf('oracle')] ?? run('oracle');
  const keepTraces = keepsTraces(spec, job);
  return {
    job,
    rows: results.map((r) => ({ alpha, policy: r.policy, seed, steps: spec.steps, ...r.metrics, regret: oracle.metrics.revenue - r.metrics.revenue })),
    traces: keepTraces ? results.map((r) => ({ policy: r.policy, alpha, seed, multiplier: Array.from(r.multiplierTrace), revenue: Array.from(r.revenueTrace) })) : [],
  };
}

/** One run of a cell: a policy (or the oracle the cell's regrets need) on the cell's market. */
export interface RunJob extends CellJob {
  policy: string;
}

export interface RunJobResult {
  job: RunJob;
  /** the run's policy name (as in its row) */
  policy: string;
  metrics: RunMetrics;
  /** per-step traces when the cell keeps them and the policy is one of the grid's, else null */
  trace: RunTrace | null;
}

/**
 * Run one policy of one cell — the unit the grid hands to worker threads (a cell's runs are independent:
 * each builds its market from the seed, so a run gives the same numbers alone or within its cell).
 * @example const r = runJob(spec, { alphaIndex: 0, seedIndex: 0, policy: 'surge' }, newCellCache())
 */
export function runJob(spec: GridSpec, job: RunJob, cache: CellCache): RunJobResult {
  const alpha = spec.alphas[job.alphaIndex]!, seed = spec.seeds[job.seedIndex]!;
  const { setup, model } = cellSetup(spec, alpha, cache);
  const r = runSimulation(setup, { policy: parsePolicyName(job.policy), seed, steps: spec.steps, params: spec.params, model });
  const trace = keepsTraces(spec, job) && spec.policies.includes(job.policy)
    ? { policy: r.policy, alpha, seed, multiplier: Array.from(r.multiplierTrace), revenue: Array.from(r.revenueTrace) } : null;
  return { job, policy: r.policy, metrics: r.metrics, trace };
}

/**
 * Build the engine's closures twice before a thread's first real run: two one-step runs of each of the
 * grid's policies (and the oracle) on the first α and seed, results discarded. Each run creates a new market,
 * policy, generators and accumulator, whose methods are closures; V8 compiles the first instance of a closure
 * specialised to it (its context inlined as constants, calls to it bound to that one function) and throws the
 * code of every caller away when a second instance appears, so each worker compiled the hot path (the session
 * walk, the market step, the bandit updates) twice. Seen twice first, it is compiled once, for any instance:
 * the optimising compiler's work per worker thread falls by about a third (docs/perf/grid18.md). The setup of the
 * first α it compiles is the one the cache keeps; the runs change nothing else. Errors are left to the jobs.
 * @example const cache = newCellCache(); primeClosures(spec, cache)
 */
export function primeClosures(spec: GridSpec, cache: CellCache): void {
  const policies = spec.policies.includes('oracle') ? spec.policies : [...spec.policies, 'oracle'];
  const once = { ...spec, steps: 1, traceAlpha: null };
  try {
    for (let k = 0; k < 2; k++) for (const policy of policies) runJob(once, { alphaIndex: 0, seedIndex: 0, policy }, cache);
  } catch {
    // a spec that fails fails again in its first real job, which reports the error with its class and exit code
  }
}
