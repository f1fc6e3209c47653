/**
 * `phantom auction`: the retargeting ad-auction market (docs/auction.md) over a grid mechanism × α × seed.
 */
import type { Command } from 'commander';
import { writeImpressions } from '../auction/impressions.js';
import { MECHANISMS } from '../auction/mechanisms/index.js';
import { PACINGS } from '../auction/pacing.js';
import { parseBidderList, renderAuctionTables } from '../auction/render.js';
import { AGENT_SCORERS, AUCTION_DEFAULTS as D, AUCTION_IMPRESSIONS_DEFAULT, AUCTION_OUT_DEFAULT, checkMechanisms, runAuction, type AgentScorerKind, type AuctionOptions } from '../auction/run-auction.js';
import { writeAuctionOutputs } from '../auction/write-outputs.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../report/progress.js';
import { numberListText } from '../sim/run-simulate.js';
import { parseNumberList } from '../sim/grid-options.js';
import { checkOutputs } from './input-checks.js';
import { action, info, intOption, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { parseArgv } from './parse-argv.js';

interface AuctionFlags extends GlobalOptions {
  bidders: string; mechanism: string; auctions: number; alpha: string; seeds: number; seed: number;
  reserve?: number; slots?: number; pacing?: string; budget?: number; agentAuc?: number; agentScorer: string; profileHuman: string; profileAgent: string;
  ctrData?: string; ctrModel?: string; writeImpressions?: string; impressions: number;
  config?: string; workers?: number; out: string; plot: boolean; ci: number;
}

/** What one `phantom auction …` asks for: the library options, or an impressions table to write instead; where and how to render. */
export interface AuctionArgs {
  /** --write-impressions: write this many generated impressions there and stop */
  writeImpressions: { file: string; rows: number; seed: number } | null;
  out: string;
  plot: boolean;
  json: boolean;
  quiet: boolean;
  options: AuctionOptions;
}

/** The flags of `auction`, defaults from AUCTION_DEFAULTS (the grid's apply below --config's). */
export function declareAuction(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .option('-b, --bidders <list>', 'bidders: aggressive, conservative, retargeting, adaptive, brand, truthful, linucb, shading; prefix defended- to scale bids by 1 − p_agent', D.bidders.join(','))
    .option('-m, --mechanism <list>', `mechanisms: ${MECHANISMS.join(', ')}`, D.mechanisms.join(','))
    .option('-n, --auctions <n>', 'auctions per run', intOption('--auctions', 1, 1e9), D.auctions)
    .option('-a, --alpha <list>', 'agent share of opportunities: a list (0,0.3) or start:stop:step', numberListText(D.alphas))
    .option('--seeds <n>', 'seeds per cell (seed, seed+1, …)', intOption('--seeds', 1, 10_000), D.seeds)
    .option('-s, --seed <n>', 'first seed', intOption('--seed'), D.seed)
    .option('--reserve <x>', 'reserve price (default 0.05)', numberOption('--reserve', 0, 20))
    .option('--slots <k>', 'GSP slots (default 3; exposure 1/0.8/0.6, then 0.6)', intOption('--slots', 1, 20))
    .option('--pacing <name>', `budget pacing: ${PACINGS.join(', ')} (default pid)`)
    .option('--budget <x>', 'each advertiser\'s budget per auction of the run (default 0.1)', numberOption('--budget', 1e-9))
    .option('--agent-auc <auc>', 'ROC AUC of the agent scorer the defended- bidders read (default 0.9)', numberOption('--agent-auc', 0.5, 1))
    .option('--agent-scorer <kind>', 'p_agent of defended- bidders: binormal (a classifier of --agent-auc, calibrated at prior 0.2) or kernel (phantom\'s kernel gap scorer on sessions walked from the profiles)', D.agentScorer)
    .option('--profile-human <file>', 'kernel scorer: human behaviour profile', D.profileHuman)
    .option('--profile-agent <file>', 'kernel scorer: agent behaviour profile', D.profileAgent)
    .option('--ctr-data <file>', 'train the bidders\' CTR model (phantom GBDT) on an impressions table: CSV or Parquet, Avazu columns')
    .option('--ctr-model <file>', 'the bidders\' CTR model: XGBoost JSON (phantom\'s or xgboost\'s), features as in docs/auction.md')
    .option('--write-impressions <file>', 'write a generated impressions table (CSV, Avazu columns, clicks from the known CTR function) and stop')
    .option('--impressions <n>', 'rows of --write-impressions', intOption('--impressions', 1, 1e9), AUCTION_IMPRESSIONS_DEFAULT)
    .option('--config <file>', 'auction.json: {"market": {...}, "bidders": [...], "mechanism": [...], "alpha": [...], "seeds", "seed", "auctions"} (flags win)')
    .option('--workers <n>', 'worker threads (default: all cores; 0 = main thread)', intOption('--workers', 0, 1024))
    .option('-o, --out <dir>', 'output folder (runs.csv, market.csv, summary.json, figures)', AUCTION_OUT_DEFAULT)
    .option('--no-plot', 'skip the figures')
    .option('--ci <level>', 'confidence level of the summary intervals', numberOption('--ci', 0.5, 0.999), D.ci)
    .addHelpText('after', `
Examples:
  $ phantom auction
  $ phantom auction --bidders aggressive,conservative,retargeting,adaptive,brand,linucb --mechanism second-price --auctions 1000000 --seeds 5 --alpha 0,0.2 -o out/
  $ phantom auction --bidders retargeting,defended-retargeting,linucb,defended-linucb,brand --alpha 0:0.4:0.1 --json
  $ phantom auction --mechanism gsp --slots 3 --pacing throttling --config auction.json
  $ phantom auction --write-impressions impressions.csv --impressions 200000 && phantom auction --ctr-data impressions.csv`);
}

/** Parsed flags → library options: the grid flags given on the command line win over --config (null = not given). */
export function auctionArgs(cmd: Command): AuctionArgs {
  const f = cmd.opts<AuctionFlags>();
  const cli = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
  const base = { out: f.out, plot: f.plot, json: f.json === true, quiet: f.quiet === true };
  if (f.pacing !== undefined && !(PACINGS as readonly string[]).includes(f.pacing)) throw new UsageError(`--pacing must be one of ${PACINGS.join(', ')}, got "${f.pacing}"`);
  if (f.agentScorer !== 'binormal' && f.agentScorer !== 'kernel') throw new UsageError(`--agent-scorer must be ${AGENT_SCORERS.join(' or ')}, got "${f.agentScorer}"`);
  const options: AuctionOptions = {
    bidders: cli('bidders') ? parseBidderList(f.bidders) : null,
    mechanisms: cli('mechanism') ? checkMechanisms(f.mechanism.split(',').map((s) => s.trim())) : null,
    alphas: cli('alpha') ? parseNumberList(f.alpha, '--alpha', 0, 1) : null,
    seeds: cli('seeds') ? f.seeds : null, seed: cli('seed') ? f.seed : null, auctions: cli('auctions') ? f.auctions : null,
    reserve: f.reserve ?? null, slots: f.slots ?? null, pacing: (f.pacing ?? null) as AuctionOptions['pacing'], budget: f.budget ?? null, agentAuc: f.agentAuc ?? null,
    agentScorer: f.agentScorer as AgentScorerKind, profileHuman: f.profileHuman, profileAgent: f.profileAgent,
    ctrData: f.ctrData ?? null, ctrModel: f.ctrModel ?? null, config: f.config ?? null, workers: f.workers ?? null, ci: f.ci,
  };
  return { ...base, writeImpressions: f.writeImpressions === undefined ? null : { file: f.writeImpressions, rows: f.impressions, seed: f.seed }, options };
}

/** `phantom auction` argv (after the command name) → its options, without running it. */
export function parseAuctionArgs(argv: readonly string[]): AuctionArgs {
  return parseArgv('auction', declareAuction, auctionArgs, argv);
}

export function define(cmd: Command): void {
  declareAuction(cmd)
    .action(
      action('auction', async () => {
        const a = auctionArgs(cmd);
        const flags = a, o = a.options;
        // every output path before any work (docs/contract.md §6)
        await checkOutputs(a.writeImpressions !== null ? { files: { '--write-impressions': a.writeImpressions.file } } : { dirs: { '-o': a.out } });
        if (a.writeImpressions !== null) {
          const w = a.writeImpressions;
          const r = await writeImpressions(w.file, w.rows, w.seed);
          if (flags.json) printJson({ file: w.file, ...r, seed: w.seed });
          else info(flags, `wrote ${r.rows.toLocaleString('en-US')} impressions (${r.clicks.toLocaleString('en-US')} clicks, seed ${w.seed}) to ${w.file}`);
          return;
        }
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        const run = await runAuction({ ...o, onInfo: (m) => info(flags, m), onStage: (s) => progress.update(s) }).finally(() => progress.done());
        const seconds = (Date.now() - t0) / 1000;
        const { result, summary } = run;
        const files = await writeAuctionOutputs(a.out, result, summary, run.marketCells, a.plot);
        if (flags.json) { printJson({ ...summary, files, workers: result.workers, seconds }); return; }
        process.stdout.write(renderAuctionTables(run.bidderCells, run.marketCells, run.gains, o.ci));
        info(flags, `${result.market.length} runs (${run.spec.auctions.toLocaleString('en-US')} auctions each) in ${seconds.toFixed(1)} s on ${result.workers || 1} thread${result.workers === 1 ? '' : 's'}; wrote ${[files.runs, files.market, files.summary, ...files.figures].join(', ')}`);
      }),
    );
}
