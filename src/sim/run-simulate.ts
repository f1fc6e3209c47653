/**
 * `simulate` as one library call (docs/simulator.md): a grid of α × policy × seed over one market, and its
 * summary (per-cell means with intervals, regressions on α, defence gains). Reads the catalog, kernels,
 * profiles and market overrides it is pointed at; prints nothing, writes nothing (the caller writes
 * `writeSimulationOutputs(dir, run.result, run.cells, run.regressions, simulationHeader(run), plot)`).
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { readFailure } from '../io/read-failure.js';
import { loadProfile } from '../generate/profile.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import { BOUNDS_DEFAULTS, randomSimCatalog, readSimCatalog, studySimCatalog, type SimCatalog } from './catalog.js';
import { runGrid, type GridResult } from './grid.js';
import type { GridSpec } from './grid-cell.js';
import { kernelsFromModel } from './kernels-source.js';
import { parseMarketOverrides } from './market-overrides.js';
import { MARKET_DEFAULTS, resolveMarketParams } from './params.js';
import { resolvePolicyParams } from './policies/policy-params.js';
import type { PolicyParams, Threshold } from './policies/types.js';
import { GAP_SCORER_DEFAULTS } from './session-scorer.js';
import { defenceGains, regressOnAlpha, summarise, type AlphaRegression, type DefenceGain, type SummaryCell } from './summary.js';

export interface SimulateOptions {
  /** contamination ratios α */
  alphas: number[];
  /** policy names (prefixes defended-, robust-, clean-) */
  policies: string[];
  /** seeds per cell: seed, seed+1, … */
  seeds: number;
  seed: number;
  /** pricing epochs per run */
  steps: number;
  /** mean sessions per step (Poisson) */
  arrivals: number;
  /** N random products (log-uniform base prices in basePriceRange); null = the original study catalog */
  products: number | null;
  basePriceRange: [number, number];
  /** catalog file (CSV or JSON); wins over products */
  catalog: string | null;
  /** price floor and cap as multiples of p0 */
  floor: number;
  cap: number;
  /** behaviour profiles (bundled names or files) */
  profileHuman: string;
  profileAgent: string;
  /** class kernels from `phantom kernels` (drive trajectories and the gap scorer); null = the profiles */
  kernels: string | null;
  /** market parameter overrides (JSON file); null = none */
  market: string | null;
  /** gap scorer temperature: f = σ(gap / T) */
  temperature: number;
  /** the policies' tunables */
  policy: PolicyParams;
  /** worker threads; null = all cores, 0 = main thread */
  workers: number | null;
  /** confidence level of the summary intervals */
  ci: number;
  /** α of the price-trace figure; null = the largest */
  traceAlpha: number | null;
  onStage?: (stage: string) => void;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const SIMULATE_DEFAULTS = {
  alphas: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6], policies: ['static', 'surge', 'defended-surge', 'linucb', 'defended-linucb'], seeds: 5, seed: 42, steps: 200,
  arrivals: MARKET_DEFAULTS.arrivals, products: null, basePriceRange: [80, 2000] as [number, number], catalog: null, floor: BOUNDS_DEFAULTS.floor, cap: BOUNDS_DEFAULTS.cap,
  profileHuman: 'human', profileAgent: 'agent', kernels: null, market: null, temperature: GAP_SCORER_DEFAULTS.temperature,
  policy: resolvePolicyParams(), workers: null, ci: 0.95, traceAlpha: null,
} satisfies SimulateOptions;

/** Where the command writes runs.csv, summary.json and the figures by default. */
export const SIMULATE_OUT_DEFAULT = 'simulate-out';

export interface SimulateRun {
  spec: GridSpec;
  catalog: SimCatalog;
  result: GridResult;
  cells: SummaryCell[];
  regressions: AlphaRegression[];
  gains: DefenceGain[];
  /** the grid as summary.json and --json describe it */
  grid: { alphas: number[]; policies: string[]; seeds: number[]; steps: number; products: number; arrivals: number; kernels: string; ci: number };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--market ${path}: ${readFailure(err)}`);
  }
}

/** Refuse options that contradict each other, before anything is read. */
export function checkSimulateOptions(o: Pick<SimulateOptions, 'alphas' | 'traceAlpha'>): void {
  if (o.traceAlpha !== null && !o.alphas.includes(o.traceAlpha)) throw new UsageError(`--trace-alpha ${o.traceAlpha} is not one of the --alpha values (${o.alphas.join(', ')})`);
}

/**
 * Run the grid and summarise it.
 * @example const run = await runSimulate({ ...SIMULATE_DEFAULTS, alphas: [0.3], policies: ['surge', 'defended-surge'] }); run.cells
 */
export async function runSimulate(o: SimulateOptions): Promise<SimulateRun> {
  checkSimulateOptions(o);
  const [lo, hi] = o.basePriceRange;
  const catalog = o.catalog ? await readSimCatalog(o.catalog, o.floor, o.cap)
    : o.products !== null ? randomSimCatalog(o.products, lo, hi, o.seed, o.floor, o.cap) : studySimCatalog(o.floor, o.cap);
  const kernels = o.kernels ? kernelsFromModel(await readKernelsFile(o.kernels), o.kernels) : null;
  const spec: GridSpec = {
    setup: {
      catalog, params: resolveMarketParams({ arrivals: o.arrivals, ...(o.market ? parseMarketOverrides(await readJson(o.market), o.market) : {}) }),
      profiles: { human: await loadProfile(o.profileHuman), agent: await loadProfile(o.profileAgent) },
      kernels, scorer: { ...GAP_SCORER_DEFAULTS, temperature: o.temperature, smoothing: kernels?.smoothing ?? GAP_SCORER_DEFAULTS.smoothing },
    },
    alphas: o.alphas, policies: o.policies, seeds: Array.from({ length: o.seeds }, (_, k) => o.seed + k), steps: o.steps, params: o.policy,
    traceAlpha: o.traceAlpha ?? Math.max(...o.alphas),
  };
  const result = await runGrid(spec, { ...(o.workers !== null ? { workers: o.workers } : {}), onCell: (d, n) => o.onStage?.(`simulating: ${d}/${n} runs`) });
  const cells = summarise(result.rows, o.ci);
  const regressions = (['revenue', 'humanRevenuePerSession', 'regret'] as const).flatMap((m) => regressOnAlpha(result.rows, m));
  const gains = (['revenue', 'humanRevenuePerSession'] as const).flatMap((m) => defenceGains(result.rows, m, o.ci));
  const grid = { alphas: o.alphas, policies: o.policies, seeds: spec.seeds, steps: spec.steps, products: catalog.ids.length, arrivals: o.arrivals, kernels: kernels?.source ?? 'profiles', ci: o.ci };
  return { spec, catalog, result, cells, regressions, gains, grid };
}

/** summary.json's header: the grid, the market and the policy parameters, the defence gains. */
export function simulationHeader(run: SimulateRun): Record<string, unknown> {
  return { grid: run.grid, market: run.spec.setup.params, policyParams: run.spec.params, defenceGains: run.gains };
}

/**
 * A number list as the flags write it: `start:stop:step` when evenly spaced (three or more values), else `a,b,c`.
 * @example numberListText([0, 0.1, 0.2]) // '0:0.2:0.1'
 */
export function numberListText(values: readonly number[]): string {
  const step = values.length >= 3 ? Math.round((values[1]! - values[0]!) * 1e9) / 1e9 : 0;
  const even = step > 0 && values.every((v, k) => Math.abs(v - (values[0]! + k * step)) < 1e-9);
  return even ? `${values[0]}:${values[values.length - 1]}:${step}` : values.join(',');
}

/** A surge threshold as the flags write it: `q0.8` for a quantile, the number for an absolute value. */
export function thresholdText(t: Threshold): string {
  return t.kind === 'quantile' ? `q${t.value}` : String(t.value);
}
