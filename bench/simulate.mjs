// bench: `phantom simulate` market speed (issue 9 target: >= 200 steps/s on one core for N = 100 products
// and 100 sessions per step; the original engine reached 26 steps/s before and 220 after vectorising).
// In-process on one core, per policy, against the bare market (fixed prices, no policy) as the reference;
// then the CLI grid on 1 and 2 worker threads (parallel speed-up). Needs `npx tsc -p .` first.
// Usage: node bench/simulate.mjs [steps=2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile } from '../dist/generate/profile.js';
import { randomSimCatalog } from '../dist/sim/catalog.js';
import { calibrateContamination } from '../dist/sim/contamination-model.js';
import { createMarket } from '../dist/sim/market.js';
import { resolveMarketParams } from '../dist/sim/params.js';
import { resolvePolicyParams } from '../dist/sim/policies/policy-params.js';
import { parsePolicyName } from '../dist/sim/policies/registry.js';
import { runSimulation } from '../dist/sim/run.js';
import { GAP_SCORER_DEFAULTS } from '../dist/sim/session-scorer.js';
import { compileSetup } from '../dist/sim/setup.js';
import { measure, printTable } from './measure.mjs';

const steps = Number(process.argv[2] ?? 2000);
const profiles = { human: await loadProfile('human'), agent: await loadProfile('agent') };
const setup = compileSetup({ catalog: randomSimCatalog(100, 50, 500, 1), params: resolveMarketParams({ alpha: 0.3, arrivals: 100 }), profiles, kernels: null, scorer: GAP_SCORER_DEFAULTS });
const model = calibrateContamination(setup);
const params = resolvePolicyParams();

function time(fn) {
  fn(Math.min(200, steps)); // warm-up (JIT)
  const t0 = process.hrtime.bigint();
  const sessions = fn(steps);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, sessions };
}

const rows = [];
const bare = time((n) => {
  const market = createMarket(setup, 1), prices = Float64Array.from(market.basePrices);
  let sessions = 0;
  for (let t = 0; t < n; t++) sessions += market.step(t, prices).sessions;
  return sessions;
});
rows.push({ run: 'market only (reference)', steps, 'steps/s': Math.round(steps / bare.seconds), 'sessions/s': Math.round(bare.sessions / bare.seconds), 'vs reference': '1.00' });
for (const name of ['static', 'surge', 'elasticity', 'linucb', 'defended-linucb', 'robust-surge', 'oracle']) {
  const r = time((n) => runSimulation(setup, { policy: parsePolicyName(name), seed: 1, steps: n, params, model }).metrics.sessions);
  rows.push({ run: name, steps, 'steps/s': Math.round(steps / r.seconds), 'sessions/s': Math.round(r.sessions / r.seconds), 'vs reference': (bare.seconds / r.seconds).toFixed(2) });
}
printTable(`simulate, N = 100 products, 100 sessions/step, α = 0.3, one core (target >= 200 steps/s)`, rows);

const dir = mkdtempSync(join(tmpdir(), 'phantom-bench-sim-'));
const grid = ['bin/phantom.js', 'simulate', '--products', '100', '--alpha', '0:0.6:0.2', '--policy', 'static,surge,defended-surge,linucb,defended-linucb', '--seeds', '2', '--steps', '500', '--no-plot', '-q'];
const gridRows = [];
for (const workers of [1, 2]) {
  const r = await measure(process.execPath, [...grid, '--workers', String(workers), '-o', join(dir, `w${workers}`)]);
  if (r.code !== 0) throw new Error(`grid failed: ${r.stderr}`);
  const runSteps = 4 * 2 * 6 * 500; // α × seeds × (5 policies + oracle) × steps
  gridRows.push({ workers, seconds: r.seconds.toFixed(2), 'steps/s': Math.round(runSteps / r.seconds), 'peak RSS MB': Math.round(r.peakRssMb) });
}
printTable('phantom simulate grid (4 α × 5 policies + oracle × 2 seeds × 500 steps)', gridRows);
console.log(`speed-up 2 workers / 1 worker: ${(gridRows[0].seconds / gridRows[1].seconds).toFixed(2)}`);
console.log(JSON.stringify({ bench: 'simulate', steps, rows, grid: gridRows }));
rmSync(dir, { recursive: true, force: true });
