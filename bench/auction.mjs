// bench: `phantom auction` market speed (issue 19 target: >= 1M second-price auctions with 6 bidders in
// <= 5 s on one core, RSS flat; grid speed-up on 2 workers). In-process on one core: the full market (6
// rule bidders, PID pacing, customers, fatigue, CTR tables) against the bare mechanism over the same
// number of pre-drawn bid vectors as the same-run reference; CPU seconds are reported beside wall time,
// since wall time on a shared machine includes other processes' load. RSS is sampled after runs of
// 250k and 1M auctions (flat = no growth with the number of auctions). Then the CLI grid on 1 and 2
// worker threads. Needs `npx tsc -p .` first. Usage: node bench/auction.mjs [auctions=1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownCtrTables } from '../dist/auction/ctr-model.js';
import { auctionResult, boundedBid, RULE_DEFAULTS, secondPriceAuction } from '../dist/auction/mechanisms/index.js';
import { resolveMarketParams } from '../dist/auction/params.js';
import { runMarket } from '../dist/auction/run.js';
import { createRng } from '../dist/stats/rng.js';
import { measure, printTable } from './measure.mjs';

const auctions = Number(process.argv[2] ?? 1_000_000);
const BIDDERS = ['aggressive', 'conservative', 'retargeting', 'adaptive', 'brand', 'truthful'];
const params = resolveMarketParams();

function timed(fn) {
  const c0 = process.cpuUsage(), t0 = process.hrtime.bigint();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, value };
}
const rssMb = () => { globalThis.gc?.(); return process.memoryUsage().rss / 2 ** 20; };

// reference: the bare second-price mechanism over pre-drawn bids (6 per auction, a chunk reused)
const rng = createRng(1), chunk = 65_536, pool = Float64Array.from({ length: chunk * 6 }, () => boundedBid(rng.next() * 2, RULE_DEFAULTS));
const out = auctionResult(1);
const bareRun = (n) => { let revenue = 0; const bids = new Float64Array(6); for (let t = 0; t < n; t++) { const o = (t % chunk) * 6; for (let b = 0; b < 6; b++) bids[b] = pool[o + b]; secondPriceAuction(bids, 6, RULE_DEFAULTS, rng, out); revenue += out.prices[0]; } return revenue; };
const market = (n, seed = 1) => runMarket({ bidders: BIDDERS, mechanism: 'second-price', alpha: 0.2, seed, auctions: n, params, ctr: knownCtrTables });

bareRun(200_000); market(50_000); // warm-up (JIT)
const bare = timed(() => bareRun(auctions));
const small = timed(() => market(auctions / 4, 2));
const rssSmall = rssMb();
const full = timed(() => market(auctions, 3));
const rssFull = rssMb();
const rows = [
  { run: 'bare second-price mechanism (reference)', auctions, 'wall s': bare.wall.toFixed(2), 'CPU s': bare.cpu.toFixed(2), 'auctions/CPU s': Math.round(auctions / bare.cpu), 'RSS MB after': '' },
  { run: `market, 6 bidders, ${(auctions / 4).toLocaleString('en-US')} auctions`, auctions: auctions / 4, 'wall s': small.wall.toFixed(2), 'CPU s': small.cpu.toFixed(2), 'auctions/CPU s': Math.round(auctions / 4 / small.cpu), 'RSS MB after': rssSmall.toFixed(0) },
  { run: `market, 6 bidders, ${auctions.toLocaleString('en-US')} auctions`, auctions, 'wall s': full.wall.toFixed(2), 'CPU s': full.cpu.toFixed(2), 'auctions/CPU s': Math.round(auctions / full.cpu), 'RSS MB after': rssFull.toFixed(0) },
];
printTable(`auction market, second price, 6 rule bidders, α = 0.2, one core (target: 1M auctions <= 5 s)`, rows);
console.log(`market / bare mechanism CPU time: ${(full.cpu / bare.cpu).toFixed(1)}×; RSS after 1M − after 250k: ${(rssFull - rssSmall).toFixed(1)} MB`);

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-auction-'));
// each grid cell runs long enough (1M auctions) that thread start-up and module loading do not dominate
const perCell = Number(process.env.AUCTION_GRID_CELL ?? 1_000_000);
const grid = ['bin/phantom.js', 'auction', '--bidders', BIDDERS.join(','), '--alpha', '0,0.1,0.2,0.3', '--seeds', '2', '-n', String(perCell), '--no-plot', '-q'];
const gridRows = [];
for (const workers of [1, 2]) {
  const r = await measure(process.execPath, [...grid, '--workers', String(workers), '-o', join(dir, `w${workers}`)]);
  if (r.code !== 0) throw new Error(`grid failed: ${r.stderr}`);
  gridRows.push({ workers, seconds: r.seconds.toFixed(2), 'auctions/s': Math.round((8 * perCell) / r.seconds), 'peak RSS MB': Math.round(r.peakRssMb) });
}
printTable(`phantom auction grid (4 α × 2 seeds × ${perCell.toLocaleString('en-US')} auctions, 6 bidders)`, gridRows);
console.log(`speed-up 2 workers / 1 worker: ${(gridRows[0].seconds / gridRows[1].seconds).toFixed(2)}`);
console.log(JSON.stringify({ bench: 'auction', auctions, rows, grid: gridRows, ratios: {
  market_vs_bare_mechanism: { value: full.cpu / bare.cpu, reference: 'the bare second-price mechanism over the same bid vectors (CPU s)' },
  grid_2w_vs_1w: { value: Number(gridRows[1].seconds) / Number(gridRows[0].seconds), reference: 'the same grid on 1 worker (0.5 = perfect 2× scaling)' },
} }));
rmSync(dir, { recursive: true, force: true });
