/**
 * `phantom simulate`: the contaminated dynamic-pricing market (docs/simulator.md) over a grid α × policy × seed.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { loadProfile } from '../generate/profile.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import { createProgress } from '../report/progress.js';
import { randomSimCatalog, readSimCatalog, studySimCatalog } from '../sim/catalog.js';
import { runGrid } from '../sim/grid.js';
import type { GridSpec } from '../sim/grid-cell.js';
import { parseNumberList, parsePolicyList, parsePriceRange } from '../sim/grid-options.js';
import { kernelsFromModel } from '../sim/kernels-source.js';
import { parseMarketOverrides, resolveMarketParams } from '../sim/params.js';
import { parseThreshold, resolvePolicyParams } from '../sim/policies/policy-params.js';
import { GAP_SCORER_DEFAULTS } from '../sim/session-scorer.js';
import { defenceGains, regressOnAlpha, summarise } from '../sim/summary.js';
import { renderDefenceTable, renderRegressionTable, renderSummaryTable } from '../sim/summary-table.js';
import { writeSimulationOutputs } from '../sim/write-outputs.js';
import { action, info, intOption, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, KERNELS_INPUT } from './input-checks.js';
import { tableFormatOption } from './table-format-option.js';

interface SimulateFlags extends GlobalOptions {
  alpha: string; policy: string; seeds: number; seed: number; steps: number; arrivals: number;
  products?: number; basePriceRange: string; catalog?: string; floor: number; cap: number;
  profileHuman: string; profileAgent: string; kernels?: string; market?: string; temperature: number;
  surgeHigh: string; surgeLow: string; surgeUp: number; surgeDown: number; smoothing: number;
  arms: string; ucbAlpha: number; radius: number; points: number;
  workers?: number; out: string; plot: boolean; ci: number; traceAlpha?: number;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--market ${path}: ${(err as Error).message}`);
  }
}

export function define(cmd: Command): void {
  tableFormatOption(withGlobalOptions(cmd))
    .option('-a, --alpha <list>', 'contamination ratios: a list (0,0.2) or start:stop:step', '0:0.6:0.1')
    .option('-p, --policy <list>', 'policies: static, surge, elasticity, linucb, oracle; prefixes defended-, robust-, clean- (benchmark)', 'static,surge,defended-surge,linucb,defended-linucb')
    .option('--seeds <n>', 'seeds per cell (seed, seed+1, …)', intOption('--seeds', 1, 10_000), 5)
    .option('-s, --seed <n>', 'first seed', intOption('--seed'), 42)
    .option('--steps <n>', 'pricing epochs per run', intOption('--steps', 1, 1_000_000), 200)
    .option('--arrivals <n>', 'mean sessions per step (Poisson)', numberOption('--arrivals', 0, 100_000), 100)
    .option('--products <n>', 'N random products (default: the original study catalog, 16 products)', intOption('--products', 1, 1_000_000))
    .option('--base-price-range <a:b>', 'base prices of --products, log-uniform', '80:2000')
    .option('--catalog <file>', 'catalog CSV (id,base_price[,inventory]) or JSON [{id, basePrice, inventory?}]')
    .option('--floor <x>', 'price floor as a multiple of p0', numberOption('--floor', 0.01, 100), 0.7)
    .option('--cap <x>', 'price cap as a multiple of p0', numberOption('--cap', 0.01, 100), 1.5)
    .option('--profile-human <file>', 'human behaviour profile', 'human')
    .option('--profile-agent <file>', 'agent behaviour profile', 'agent')
    .option('--kernels <file>', 'class kernels from `phantom kernels` (drive trajectories and the gap scorer)')
    .option('--market <file.json>', 'market parameter overrides, e.g. {"agent": {"appealSigma": 1.5}} (docs/simulator.md)')
    .option('--temperature <T>', 'f = σ(gap / T)', numberOption('--temperature', 1e-6), 1)
    .option('--surge-high <t>', 'surge threshold: qP (quantile of q̂) or a proxy value', 'q0.8')
    .option('--surge-low <t>', 'discount threshold: qP or a proxy value', 'q0.2')
    .option('--surge-up <x>', 'surge multiplier', numberOption('--surge-up', 0.01), 1.2)
    .option('--surge-down <x>', 'discount multiplier', numberOption('--surge-down', 0.01), 0.9)
    .option('--smoothing <λ>', 'weight of the newest step in smoothed proxies', numberOption('--smoothing', 0.001, 1), 0.3)
    .option('--arms <list>', 'LinUCB price multipliers', '0.8:1.2:0.05')
    .option('--ucb-alpha <a>', 'LinUCB exploration α', numberOption('--ucb-alpha', 0), 1)
    .option('--radius <r>', 'robust-: contamination radius around the estimated α', numberOption('--radius', 0, 1), 0.1)
    .option('--points <k>', 'robust-: contamination levels evaluated', intOption('--points', 1, 50), 3)
    .option('--workers <n>', 'worker threads (default: all cores; 0 = main thread)', intOption('--workers', 0, 1024))
    .option('-o, --out <dir>', 'output folder (runs.csv, summary.json, figures)', 'simulate-out')
    .option('--no-plot', 'skip the figures')
    .option('--ci <level>', 'confidence level of the summary intervals', numberOption('--ci', 0.5, 0.999), 0.95)
    .option('--trace-alpha <a>', 'α of the price-trace figure (default: the largest)', numberOption('--trace-alpha', 0, 1))
    .addHelpText('after', `
Examples:
  $ phantom simulate
  $ phantom simulate --alpha 0:1:0.1 --policy surge,defended-surge,linucb --seeds 5 --steps 200
  $ phantom simulate --alpha 0.3 --policy robust-surge,oracle --products 100 --json
  $ phantom simulate --kernels kernels.json --catalog catalog.csv -o sim`)
    .action(
      action('simulate', async (flags: SimulateFlags) => {
        const alphas = parseNumberList(flags.alpha, '--alpha', 0, 1);
        const policies = parsePolicyList(flags.policy);
        if (flags.traceAlpha !== undefined && !alphas.includes(flags.traceAlpha)) throw new UsageError(`--trace-alpha ${flags.traceAlpha} is not one of the --alpha values (${alphas.join(', ')})`);
        const [lo, hi] = parsePriceRange(flags.basePriceRange, '--base-price-range');
        await checkInputs([flags.kernels], KERNELS_INPUT, '--kernels must be');
        await checkOutputs({ dirs: { '-o': flags.out } });
        const catalog = flags.catalog ? await readSimCatalog(flags.catalog, flags.floor, flags.cap)
          : flags.products !== undefined ? randomSimCatalog(flags.products, lo, hi, flags.seed, flags.floor, flags.cap) : studySimCatalog(flags.floor, flags.cap);
        const kernels = flags.kernels ? kernelsFromModel(await readKernelsFile(flags.kernels), flags.kernels) : null;
        const params = resolvePolicyParams({
          surgeHigh: parseThreshold(flags.surgeHigh, '--surge-high'), surgeLow: parseThreshold(flags.surgeLow, '--surge-low'),
          surgeUp: flags.surgeUp, surgeDown: flags.surgeDown, smoothing: flags.smoothing,
          ucbArms: parseNumberList(flags.arms, '--arms', 0.01, 100), ucbAlpha: flags.ucbAlpha, robustRadius: flags.radius, robustPoints: flags.points,
        });
        const spec: GridSpec = {
          setup: {
            catalog, params: resolveMarketParams({ arrivals: flags.arrivals, ...(flags.market ? parseMarketOverrides(await readJson(flags.market), flags.market) : {}) }),
            profiles: { human: await loadProfile(flags.profileHuman), agent: await loadProfile(flags.profileAgent) },
            kernels, scorer: { ...GAP_SCORER_DEFAULTS, temperature: flags.temperature, smoothing: kernels?.smoothing ?? GAP_SCORER_DEFAULTS.smoothing },
          },
          alphas, policies, seeds: Array.from({ length: flags.seeds }, (_, k) => flags.seed + k), steps: flags.steps, params,
          traceAlpha: flags.traceAlpha ?? Math.max(...alphas),
        };
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        const result = await runGrid(spec, { ...(flags.workers !== undefined ? { workers: flags.workers } : {}), onCell: (d, n) => progress.update(`simulating: ${d}/${n} runs`) });
        progress.done();
        const seconds = (Date.now() - t0) / 1000;
        const cells = summarise(result.rows, flags.ci);
        const regressions = (['revenue', 'humanRevenuePerSession', 'regret'] as const).flatMap((m) => regressOnAlpha(result.rows, m));
        const gains = (['revenue', 'humanRevenuePerSession'] as const).flatMap((m) => defenceGains(result.rows, m, flags.ci));
        const grid = { alphas, policies, seeds: spec.seeds, steps: spec.steps, products: catalog.ids.length, arrivals: flags.arrivals, kernels: kernels?.source ?? 'profiles', ci: flags.ci };
        const files = await writeSimulationOutputs(flags.out, result, cells, regressions, { grid, market: spec.setup.params, policyParams: params, defenceGains: gains }, flags.plot);
        if (flags.json) {
          printJson({ grid, market: spec.setup.params, policyParams: params, summary: cells, regressions, defenceGains: gains, files, workers: result.workers, seconds });
          return;
        }
        process.stdout.write(renderSummaryTable(cells, flags.ci));
        if (alphas.length > 1) process.stdout.write(`\n${renderRegressionTable(regressions)}`);
        if (gains.length > 0) process.stdout.write(`\n${renderDefenceTable(gains, flags.ci)}`);
        const runs = result.rows.length;
        info(flags, `${runs} runs (${spec.steps} steps each) in ${seconds.toFixed(1)} s on ${result.workers || 1} thread${result.workers === 1 ? '' : 's'}; wrote ${[files.runs, files.summary, ...files.figures].join(', ')}`);
      }),
    );
}
