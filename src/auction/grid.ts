/**
 * The `phantom auction` grid mechanism × α × seed on worker threads (the same scheme as `phantom
 * simulate`): cells go to whichever worker is free and results are put back in grid order, so outputs are
 * byte-identical for any number of threads; `workers: 0` runs in this thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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

function assemble(jobs: AuctionCellJob[], results: AuctionCellResult[], workers: number): AuctionGridResult {
  const key = (j: AuctionCellJob) => `${j.mechanismIndex}:${j.alphaIndex}:${j.seedIndex}`;
  const byCell = new Map(results.map((r) => [key(r.job), r]));
  const ordered = jobs.map((j) => byCell.get(key(j))!);
  return { bidders: ordered.flatMap((r) => r.bidders), market: ordered.map((r) => r.market), traces: ordered.flatMap((r) => r.traces), workers };
}

/**
 * Run every cell.
 * @example const result = await runAuctionGrid(spec, { workers: 2 })
 */
export async function runAuctionGrid(spec: AuctionGridSpec, opts: { workers?: number; onCell?: (done: number, total: number) => void } = {}): Promise<AuctionGridResult> {
  const jobs = auctionJobs(spec);
  const workers = Math.min(opts.workers ?? availableParallelism(), jobs.length);
  const results: AuctionCellResult[] = [];
  if (workers <= 0) {
    const ctr = ctrBuilder(spec);
    for (const job of jobs) { results.push(runAuctionCell(spec, job, ctr)); opts.onCell?.(results.length, jobs.length); }
    return assemble(jobs, results, 0);
  }
  let next = 0;
  const pool = Array.from({ length: workers }, () => new Worker(workerScript(import.meta.url, 'auction/grid-worker.js'), { workerData: spec }));
  try {
    await Promise.all(pool.map((w) => new Promise<void>((resolve, reject) => {
      const feed = () => (next < jobs.length ? w.postMessage(jobs[next++]) : resolve());
      w.on('message', (msg: { ok: true; result: AuctionCellResult } | { ok: false; error: string }) => {
        if (!msg.ok) { reject(new Error(`auction worker failed: ${msg.error}`)); return; }
        results.push(msg.result);
        opts.onCell?.(results.length, jobs.length);
        feed();
      });
      w.on('error', reject);
      w.on('exit', (code) => { if (code !== 0) reject(new Error(`auction worker exited with code ${code}`)); });
      feed();
    })));
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return assemble(jobs, results, workers);
}
