/**
 * The experiment grid α × policy × seed (docs/simulator.md), run in worker threads across cores. Each run (one
 * policy, or the oracle the regrets need, on one α × seed market) is a job handed to whichever worker is
 * free, the costlier bandit runs first, so the workers finish together; results are put back in grid
 * order (α, then policy, then seed), so the output is byte-identical whatever the number of threads;
 * `workers: 0` runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { runPool } from '../threads/pool.js';
import { workerScript } from '../worker-script.js';
import type { CellJob, GridRow, GridSpec, RunJob, RunJobResult, RunTrace } from './grid-cell.js';

export interface GridResult {
  rows: GridRow[];
  traces: RunTrace[];
  /** worker threads used (0: the main thread) */
  workers: number;
}

export interface GridOptions {
  /** worker threads; default: available cores, at most one per run; 0 = main thread */
  workers?: number;
  /** progress, in runs */
  onCell?: (done: number, total: number) => void;
  /** aborting stops the run and terminates the workers */
  signal?: AbortSignal;
}

/** All cells of a grid, α-major. */
export function gridJobs(spec: GridSpec): CellJob[] {
  const jobs: CellJob[] = [];
  spec.alphas.forEach((_, alphaIndex) => spec.seeds.forEach((_, seedIndex) => jobs.push({ alphaIndex, seedIndex })));
  return jobs;
}

// A larger young generation than V8's default for the workers: the market allocates per step, and fewer
// scavenges means less CPU on GC helper threads competing with the other worker (docs/performance.md).
const WORKER_YOUNG_MB = 64;

/**
 * A run's relative cost, for ordering jobs longest-first: the bandits' per-step updates make a run ~1.65×
 * a static one, and agents walk longer sessions, so a run at α costs ~(1 + 0.75 α)× more (per-job thread
 * CPU on the bench grid, docs/perf/simulate-grid.md). The cheapest runs go last, so the workers finish
 * within one small run of each other.
 */
const cost = (policy: string, alpha: number): number => (policy.includes('linucb') ? 1.65 : policy.includes('robust') ? 1.5 : 1) + 0.75 * alpha;

/**
 * Every run of a grid: each cell's policies, plus the oracle where it is not one of them; costliest first
 * (by policy and α), then α-major (a stable order, so scheduling never depends on timing).
 */
export function gridRuns(spec: GridSpec): RunJob[] {
  const policies = spec.policies.includes('oracle') ? spec.policies : [...spec.policies, 'oracle'];
  const jobs: RunJob[] = [];
  for (const { alphaIndex, seedIndex } of gridJobs(spec)) for (const policy of policies) jobs.push({ alphaIndex, seedIndex, policy });
  const c = (job: RunJob): number => cost(job.policy, spec.alphas[job.alphaIndex]!);
  return jobs.map((job, i) => ({ job, i, c: c(job) })).sort((a, b) => b.c - a.c || a.i - b.i).map((x) => x.job);
}

function assemble(spec: GridSpec, results: RunJobResult[], workers: number): GridResult {
  const key = (a: number, s: number, policy: string) => `${a}:${s}:${policy}`;
  const byRun = new Map(results.map((r) => [key(r.job.alphaIndex, r.job.seedIndex, r.job.policy), r]));
  const rows: GridRow[] = [], traces: RunTrace[] = [];
  spec.alphas.forEach((alpha, a) => {
    spec.policies.forEach((policy) => spec.seeds.forEach((seed, s) => {
      const r = byRun.get(key(a, s, policy))!, oracle = byRun.get(key(a, s, 'oracle'))!;
      rows.push({ alpha, policy: r.policy, seed, steps: spec.steps, ...r.metrics, regret: oracle.metrics.revenue - r.metrics.revenue });
    }));
    spec.seeds.forEach((_, s) => spec.policies.forEach((policy) => {
      const t = byRun.get(key(a, s, policy))!.trace;
      if (t !== null) traces.push(t);
    }));
  });
  return { rows, traces, workers };
}

/**
 * Run every cell of the grid.
 * @example const { rows } = await runGrid(spec, { workers: 2 })
 */
export async function runGrid(spec: GridSpec, opts: GridOptions = {}): Promise<GridResult> {
  const jobs = gridRuns(spec);
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  if (workers <= 0) {
    // the engine is loaded here only: with worker threads, the main thread never runs a market
    const { newCellCache, runJob } = await import('./grid-cell.js');
    const cache = newCellCache(), results: RunJobResult[] = [];
    for (const job of jobs) {
      results.push(runJob(spec, job, cache));
      opts.onCell?.(results.length, jobs.length);
    }
    return assemble(spec, results, 0);
  }
  const results = await runPool<RunJob, RunJobResult>(jobs, {
    script: workerScript(import.meta.url, 'sim/grid-worker.js'), workers, workerData: spec, label: 'simulation worker',
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB }, onResult: (_r, _i, done) => opts.onCell?.(done, jobs.length),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return assemble(spec, results, workers);
}
