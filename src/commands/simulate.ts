/**
 * `phantom simulate`: the contaminated dynamic-pricing market (docs/simulator.md) over a grid α × policy × seed.
 */
import type { Command } from 'commander';
import { createProgress } from '../report/progress.js';
import { parseNumberList, parsePolicyList, parsePriceRange } from '../sim/grid-options.js';
import { parseThreshold, resolvePolicyParams } from '../sim/policies/policy-params.js';
import { checkSimulateOptions, numberListText, runSimulate, simulationHeader, thresholdText, SIMULATE_DEFAULTS as D, SIMULATE_OUT_DEFAULT, type SimulateOptions } from '../sim/run-simulate.js';
import { renderDefenceTable, renderRegressionTable, renderSummaryTable } from '../sim/summary-table.js';
import { writeSimulationOutputs } from '../sim/write-outputs.js';
import { action, info, intOption, numberOption, printJson, withGlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, KERNELS_INPUT } from './input-checks.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

/** What one `phantom simulate …` asks for: the library options, and where and how to render. */
export interface SimulateArgs {
  out: string;
  plot: boolean;
  json: boolean;
  quiet: boolean;
  options: SimulateOptions;
}

const P = D.policy;

/** The flags of `simulate`, defaults from SIMULATE_DEFAULTS (the policies' from POLICY_DEFAULTS, the market's from MARKET_DEFAULTS). */
export function declareSimulate(cmd: Command): Command {
  return tableFormatOption(withGlobalOptions(cmd))
    .option('-a, --alpha <list>', 'contamination ratios: a list (0,0.2) or start:stop:step', numberListText(D.alphas))
    .option('-p, --policy <list>', 'policies: static, surge, elasticity, linucb, oracle; prefixes defended-, robust-, clean- (benchmark)', D.policies.join(','))
    .option('--seeds <n>', 'seeds per cell (seed, seed+1, …)', intOption('--seeds', 1, 10_000), D.seeds)
    .option('-s, --seed <n>', 'first seed', intOption('--seed'), D.seed)
    .option('--steps <n>', 'pricing epochs per run', intOption('--steps', 1, 1_000_000), D.steps)
    .option('--arrivals <n>', 'mean sessions per step (Poisson)', numberOption('--arrivals', 0, 100_000), D.arrivals)
    .option('--products <n>', 'N random products (default: the original study catalog, 16 products)', intOption('--products', 1, 1_000_000))
    .option('--base-price-range <a:b>', 'base prices of --products, log-uniform', D.basePriceRange.join(':'))
    .option('--catalog <file>', 'catalog CSV (id,base_price[,inventory]) or JSON [{id, basePrice, inventory?}]')
    .option('--floor <x>', 'price floor as a multiple of p0', numberOption('--floor', 0.01, 100), D.floor)
    .option('--cap <x>', 'price cap as a multiple of p0', numberOption('--cap', 0.01, 100), D.cap)
    .option('--profile-human <file>', 'human behaviour profile', D.profileHuman)
    .option('--profile-agent <file>', 'agent behaviour profile', D.profileAgent)
    .option('--kernels <file>', 'class kernels from `phantom kernels` (drive trajectories and the gap scorer)')
    .option('--market <file.json>', 'market parameter overrides, e.g. {"agent": {"appealSigma": 1.5}} (docs/simulator.md)')
    .option('--temperature <T>', 'f = σ(gap / T)', numberOption('--temperature', 1e-6), D.temperature)
    .option('--surge-high <t>', 'surge threshold: qP (quantile of q̂) or a proxy value', thresholdText(P.surgeHigh))
    .option('--surge-low <t>', 'discount threshold: qP or a proxy value', thresholdText(P.surgeLow))
    .option('--surge-up <x>', 'surge multiplier', numberOption('--surge-up', 0.01), P.surgeUp)
    .option('--surge-down <x>', 'discount multiplier', numberOption('--surge-down', 0.01), P.surgeDown)
    .option('--smoothing <λ>', 'weight of the newest step in smoothed proxies', numberOption('--smoothing', 0.001, 1), P.smoothing)
    .option('--arms <list>', 'LinUCB price multipliers', numberListText(P.ucbArms))
    .option('--ucb-alpha <a>', 'LinUCB exploration α', numberOption('--ucb-alpha', 0), P.ucbAlpha)
    .option('--radius <r>', 'robust-: contamination radius around the estimated α', numberOption('--radius', 0, 1), P.robustRadius)
    .option('--points <k>', 'robust-: contamination levels evaluated', intOption('--points', 1, 50), P.robustPoints)
    .option('--workers <n>', 'worker threads (default: all cores; 0 = main thread)', intOption('--workers', 0, 1024))
    .option('-o, --out <dir>', 'output folder (runs.csv, summary.json, figures)', SIMULATE_OUT_DEFAULT)
    .option('--no-plot', 'skip the figures')
    .option('--ci <level>', 'confidence level of the summary intervals', numberOption('--ci', 0.5, 0.999), D.ci)
    .option('--trace-alpha <a>', 'α of the price-trace figure (default: the largest)', numberOption('--trace-alpha', 0, 1))
    .addHelpText('after', `
Examples:
  $ phantom simulate
  $ phantom simulate --alpha 0:1:0.1 --policy surge,defended-surge,linucb --seeds 5 --steps 200
  $ phantom simulate --alpha 0.3 --policy robust-surge,oracle --products 100 --json
  $ phantom simulate --kernels kernels.json --catalog catalog.csv -o sim`);
}

interface SimulateFlags {
  alpha: string; policy: string; seeds: number; seed: number; steps: number; arrivals: number;
  products?: number; basePriceRange: string; catalog?: string; floor: number; cap: number;
  profileHuman: string; profileAgent: string; kernels?: string; market?: string; temperature: number;
  surgeHigh: string; surgeLow: string; surgeUp: number; surgeDown: number; smoothing: number;
  arms: string; ucbAlpha: number; radius: number; points: number;
  workers?: number; out: string; plot: boolean; ci: number; traceAlpha?: number; json?: boolean; quiet?: boolean;
}

/** Parsed flags → library options; the list, range and threshold flags are parsed here (UsageError naming the flag). */
export function simulateArgs(cmd: Command): SimulateArgs {
  const f = cmd.opts<SimulateFlags>();
  const alphas = parseNumberList(f.alpha, '--alpha', 0, 1);
  const policies = parsePolicyList(f.policy);
  checkSimulateOptions({ alphas, traceAlpha: f.traceAlpha ?? null });
  const basePriceRange = parsePriceRange(f.basePriceRange, '--base-price-range');
  const policy = resolvePolicyParams({
    surgeHigh: parseThreshold(f.surgeHigh, '--surge-high'), surgeLow: parseThreshold(f.surgeLow, '--surge-low'),
    surgeUp: f.surgeUp, surgeDown: f.surgeDown, smoothing: f.smoothing,
    ucbArms: parseNumberList(f.arms, '--arms', 0.01, 100), ucbAlpha: f.ucbAlpha, robustRadius: f.radius, robustPoints: f.points,
  });
  return {
    out: f.out, plot: f.plot, json: f.json === true, quiet: f.quiet === true,
    options: {
      alphas, policies, seeds: f.seeds, seed: f.seed, steps: f.steps, arrivals: f.arrivals, products: f.products ?? null, basePriceRange, catalog: f.catalog ?? null,
      floor: f.floor, cap: f.cap, profileHuman: f.profileHuman, profileAgent: f.profileAgent, kernels: f.kernels ?? null, market: f.market ?? null,
      temperature: f.temperature, policy, workers: f.workers ?? null, ci: f.ci, traceAlpha: f.traceAlpha ?? null,
    },
  };
}

/** `phantom simulate` argv (after the command name) → its options, without running it. */
export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  return parseArgv('simulate', declareSimulate, simulateArgs, argv);
}

export function define(cmd: Command): void {
  declareSimulate(cmd)
    .action(
      action('simulate', async () => {
        const a = simulateArgs(cmd);
        const o = a.options, flags = a;
        await checkInputs([o.kernels], KERNELS_INPUT, '--kernels must be');
        await checkOutputs({ dirs: { '-o': a.out } });
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        const run = await runSimulate({ ...o, onStage: (s) => progress.update(s) });
        progress.done();
        const seconds = (Date.now() - t0) / 1000;
        const { result, cells, regressions, gains, grid, spec } = run;
        const files = await writeSimulationOutputs(a.out, result, cells, regressions, simulationHeader(run), a.plot);
        if (flags.json) {
          printJson({ grid, market: spec.setup.params, policyParams: spec.params, summary: cells, regressions, defenceGains: gains, files, workers: result.workers, seconds });
          return;
        }
        process.stdout.write(renderSummaryTable(cells, o.ci));
        if (o.alphas.length > 1) process.stdout.write(`\n${renderRegressionTable(regressions)}`);
        if (gains.length > 0) process.stdout.write(`\n${renderDefenceTable(gains, o.ci)}`);
        const runs = result.rows.length;
        // the oracle is run on every market for the regrets even when it is not a listed policy (the progress counts it)
        const oracleRuns = spec.policies.includes('oracle') ? 0 : spec.alphas.length * spec.seeds.length;
        const oracleNote = oracleRuns > 0 ? ` + ${oracleRuns} oracle run${oracleRuns === 1 ? '' : 's'} for the regrets` : '';
        info(flags, `${runs} run${runs === 1 ? '' : 's'}${oracleNote} (${spec.steps} steps each) in ${seconds.toFixed(1)} s on ${result.workers || 1} thread${result.workers === 1 ? '' : 's'}; wrote ${[files.runs, files.summary, ...files.figures].join(', ')}`);
      }),
    );
}
