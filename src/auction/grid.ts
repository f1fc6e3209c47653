/**
 * The `phantom auction` grid mechanism × α × seed on worker threads (the same scheme as `phantom
 * simulate`): cells go to whichever worker is free and results are put back in grid order, so outputs are
 * byte-identical for any number of threads; `workers: 0` runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { runPool } from '../threads/pool.js';
import { workerScript } from '../worker-script.js';
import { ctrBuilder, runAuctionCell, type AuctionCellJob, type AuctionCellResult, type AuctionGridSpec, type BidderRow, type BidderTrace, type MarketRow } from './grid-cell.js';

export interface AuctionGridResult {
  bidders: BidderRow[];
  market: MarketRow[];
  traces: BidderTrace[];
  workers: number;
}

/** All cells, mechanism-major, then α, then seed. */
export function auctionJobs(spec: AuctionGridSpec): AuctionCellJob[] {
  const jobs: AuctionCellJob[] = [];
  spec.mechanisms.forEach((_, m) => spec.alphas.forEach((_, a) => spec.seeds.forEach((_, s) => jobs.push({ mechanismIndex: m, alphaIndex: a, seedIndex: s }))));
  return jobs;
}

/** The grid's result from its cells' results in job (grid) order. */
function assemble(ordered: AuctionCellResult[], workers: number): AuctionGridResult {
  return { bidders: ordered.flatMap((r) => r.bidders), market: ordered.map((r) => r.market), traces: ordered.flatMap((r) => r.traces), workers };
}

/**
 * Run every cell.
 * @example const result = await runAuctionGrid(spec, { workers: 2 })
 */
export async function runAuctionGrid(spec: AuctionGridSpec, opts: { workers?: number; onCell?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<AuctionGridResult> {
  const jobs = auctionJobs(spec);
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  if (workers <= 0) {
    const ctr = ctrBuilder(spec), results: AuctionCellResult[] = [];
    for (const job of jobs) { results.push(runAuctionCell(spec, job, ctr)); opts.onCell?.(results.length, jobs.length); }
    return assemble(results, 0);
  }
  const results = await runPool<AuctionCellJob, AuctionCellResult>(jobs, {
    script: workerScript(import.meta.url, 'auction/grid-worker.js'), workers, workerData: spec, label: 'auction worker',
    onResult: (_r, _i, done) => opts.onCell?.(done, jobs.length), ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return assemble(results, workers);
}
