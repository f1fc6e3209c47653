/**
 * The experiment grid α × policy × seed (SPEC §10.3), run in worker threads across cores. Cells are
 * handed to whichever worker is free, and results are put back in grid order (α, then policy, then seed),
 * so the output is byte-identical whatever the number of threads; `workers: 0` runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { newCellCache, runCell, type CellJob, type CellResult, type GridRow, type GridSpec, type RunTrace } from './grid-cell.js';

export interface GridResult {
  rows: GridRow[];
  traces: RunTrace[];
  /** worker threads used (0: the main thread) */
  workers: number;
}

export interface GridOptions {
  /** worker threads; default: available cores, at most one per cell; 0 = main thread */
  workers?: number;
  onCell?: (done: number, total: number) => void;
}

/** All cells of a grid, α-major. */
export function gridJobs(spec: GridSpec): CellJob[] {
  const jobs: CellJob[] = [];
  spec.alphas.forEach((_, alphaIndex) => spec.seeds.forEach((_, seedIndex) => jobs.push({ alphaIndex, seedIndex })));
  return jobs;
}

function assemble(spec: GridSpec, results: CellResult[], workers: number): GridResult {
  const byCell = new Map(results.map((r) => [`${r.job.alphaIndex}:${r.job.seedIndex}`, r]));
  const rows: GridRow[] = [], traces: RunTrace[] = [];
  spec.alphas.forEach((_, a) => {
    spec.policies.forEach((_, p) => spec.seeds.forEach((_, s) => rows.push(byCell.get(`${a}:${s}`)!.rows[p]!)));
    spec.seeds.forEach((_, s) => traces.push(...byCell.get(`${a}:${s}`)!.traces));
  });
  return { rows, traces, workers };
}

/**
 * Run every cell of the grid.
 * @example const { rows } = await runGrid(spec, { workers: 2 })
 */
export async function runGrid(spec: GridSpec, opts: GridOptions = {}): Promise<GridResult> {
  const jobs = gridJobs(spec);
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  const results: CellResult[] = [];
  if (workers <= 0) {
    const cache = newCellCache();
    for (const job of jobs) {
      results.push(runCell(spec, job, cache));
      opts.onCell?.(results.length, jobs.length);
    }
    return assemble(spec, results, 0);
  }
  let next = 0;
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./grid-worker.js', import.meta.url), { workerData: spec }));
  try {
    await Promise.all(pool.map((w) => new Promise<void>((resolve, reject) => {
      const feed = () => (next < jobs.length ? w.postMessage(jobs[next++]) : resolve());
      w.on('message', (msg: { ok: true; result: CellResult } | { ok: false; error: string }) => {
        if (!msg.ok) { reject(new Error(`simulation worker failed: ${msg.error}`)); return; }
        results.push(msg.result);
        opts.onCell?.(results.length, jobs.length);
        feed();
      });
      w.on('error', reject);
      w.on('exit', (code) => { if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`)); });
      feed();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return assemble(spec, results, workers);
}
