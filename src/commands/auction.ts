/**
 * `phantom auction`: the retargeting ad-auction market (docs/auction.md) over a grid mechanism × α × seed.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CTR_MODEL_PARAMS, fitCtrModel, readCtrModel } from '../auction/ctr-model.js';
import type { AuctionGridSpec } from '../auction/grid-cell.js';
import { runAuctionGrid } from '../auction/grid.js';
import { readImpressions, writeImpressions } from '../auction/impressions.js';
import { MECHANISMS, type MechanismName } from '../auction/mechanisms/index.js';
import { PACINGS } from '../auction/pacing.js';
import { parseAuctionConfig, resolveMarketParams, type AuctionConfig } from '../auction/params.js';
import { parseBidderList, renderAuctionTables } from '../auction/render.js';
import { defendedGains, summariseBidders, summariseMarket, wasteOnAlpha } from '../auction/summary.js';
import { writeAuctionOutputs } from '../auction/write-outputs.js';
import { UsageError } from '../errors.js';
import { loadProfile } from '../generate/profile.js';
import { createProgress } from '../report/progress.js';
import { parseNumberList } from '../sim/grid-options.js';
import { action, info, intOption, numberOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';

interface AuctionFlags extends GlobalOptions {
  bidders: string; mechanism: string; auctions: number; alpha: string; seeds: number; seed: number;
  reserve?: number; slots?: number; pacing?: string; budget?: number; agentAuc?: number; agentScorer: string; profileHuman: string; profileAgent: string;
  ctrData?: string; ctrModel?: string; writeImpressions?: string; impressions: number;
  config?: string; workers?: number; out: string; plot: boolean; ci: number;
}

async function readConfig(path: string): Promise<AuctionConfig> {
  let value: unknown;
  try { value = JSON.parse(await readFile(path, 'utf8')); } catch (err) {
    throw new UsageError(`--config ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseAuctionConfig(value, path);
}

export function define(cmd: Command): void {
  withGlobalOptions(cmd)
    .option('-b, --bidders <list>', 'bidders: aggressive, conservative, retargeting, adaptive, brand, truthful, linucb, shading; prefix defended- to scale bids by 1 − p_agent', 'aggressive,conservative,retargeting,adaptive,brand,truthful')
    .option('-m, --mechanism <list>', `mechanisms: ${MECHANISMS.join(', ')}`, 'second-price')
    .option('-n, --auctions <n>', 'auctions per run', intOption('--auctions', 1, 1e9), 200_000)
    .option('-a, --alpha <list>', 'agent share of opportunities: a list (0,0.3) or start:stop:step', '0')
    .option('--seeds <n>', 'seeds per cell (seed, seed+1, …)', intOption('--seeds', 1, 10_000), 3)
    .option('-s, --seed <n>', 'first seed', intOption('--seed'), 42)
    .option('--reserve <x>', 'reserve price (default 0.05)', numberOption('--reserve', 0, 20))
    .option('--slots <k>', 'GSP slots (default 3; exposure 1/0.8/0.6, then 0.6)', intOption('--slots', 1, 20))
    .option('--pacing <name>', `budget pacing: ${PACINGS.join(', ')} (default pid)`)
    .option('--budget <x>', 'each advertiser\'s budget per auction of the run (default 0.1)', numberOption('--budget', 1e-9))
    .option('--agent-auc <auc>', 'ROC AUC of the agent scorer the defended- bidders read (default 0.9)', numberOption('--agent-auc', 0.5, 1))
    .option('--agent-scorer <kind>', 'p_agent of defended- bidders: binormal (a classifier of --agent-auc, calibrated at prior 0.2) or kernel (phantom\'s kernel gap scorer on sessions walked from the profiles)', 'binormal')
    .option('--profile-human <file>', 'kernel scorer: human behaviour profile', 'human')
    .option('--profile-agent <file>', 'kernel scorer: agent behaviour profile', 'agent')
    .option('--ctr-data <file>', 'train the bidders\' CTR model (phantom GBDT) on an impressions table: CSV or Parquet, Avazu columns')
    .option('--ctr-model <file>', 'the bidders\' CTR model: XGBoost JSON (phantom\'s or xgboost\'s), features as in docs/auction.md')
    .option('--write-impressions <file>', 'write a generated impressions table (CSV, Avazu columns, clicks from the known CTR function) and stop')
    .option('--impressions <n>', 'rows of --write-impressions', intOption('--impressions', 1, 1e9), 200_000)
    .option('--config <file>', 'auction.json: {"market": {...}, "bidders": [...], "mechanism": [...], "alpha": [...], "seeds", "seed", "auctions"} (flags win)')
    .option('--workers <n>', 'worker threads (default: all cores; 0 = main thread)', intOption('--workers', 0, 1024))
    .option('-o, --out <dir>', 'output folder (runs.csv, market.csv, summary.json, figures)', 'auction-out')
    .option('--no-plot', 'skip the figures')
    .option('--ci <level>', 'confidence level of the summary intervals', numberOption('--ci', 0.5, 0.999), 0.95)
    .addHelpText('after', `
Examples:
  $ phantom auction
  $ phantom auction --bidders aggressive,conservative,retargeting,adaptive,brand,linucb --mechanism second-price --auctions 1000000 --seeds 5 --alpha 0,0.2 -o out/
  $ phantom auction --bidders retargeting,defended-retargeting,linucb,defended-linucb,brand --alpha 0:0.4:0.1 --json
  $ phantom auction --mechanism gsp --slots 3 --pacing throttling --config auction.json
  $ phantom auction --write-impressions impressions.csv --impressions 200000 && phantom auction --ctr-data impressions.csv`)
    .action(
      action('auction', async (flags: AuctionFlags, command: Command) => {
        const fromCli = (name: string) => command.getOptionValueSource(name) === 'cli';
        if (flags.writeImpressions !== undefined) {
          const r = await writeImpressions(flags.writeImpressions, flags.impressions, flags.seed);
          if (flags.json) printJson({ file: flags.writeImpressions, ...r, seed: flags.seed });
          else info(flags, `wrote ${r.rows.toLocaleString('en-US')} impressions (${r.clicks.toLocaleString('en-US')} clicks, seed ${flags.seed}) to ${flags.writeImpressions}`);
          return;
        }
        if (flags.ctrData !== undefined && flags.ctrModel !== undefined) throw new UsageError('--ctr-data and --ctr-model are alternatives: give one');
        const config = flags.config ? await readConfig(flags.config) : {};
        const bidders = fromCli('bidders') || !config.bidders ? parseBidderList(flags.bidders) : parseBidderList(config.bidders.join(','));
        const mechanisms = (fromCli('mechanism') || !config.mechanism ? flags.mechanism.split(',').map((s) => s.trim()) : config.mechanism) as MechanismName[];
        const badMech = mechanisms.filter((m) => !(MECHANISMS as readonly string[]).includes(m));
        if (badMech.length > 0) throw new UsageError(`--mechanism: unknown ${badMech.join(', ')} (choose from ${MECHANISMS.join(', ')})`);
        const alphas = fromCli('alpha') || !config.alpha ? parseNumberList(flags.alpha, '--alpha', 0, 1) : config.alpha;
        const seeds = fromCli('seeds') || config.seeds === undefined ? flags.seeds : config.seeds;
        const seed = fromCli('seed') || config.seed === undefined ? flags.seed : config.seed;
        const auctions = fromCli('auctions') || config.auctions === undefined ? flags.auctions : config.auctions;
        if (flags.pacing !== undefined && !(PACINGS as readonly string[]).includes(flags.pacing)) throw new UsageError(`--pacing must be one of ${PACINGS.join(', ')}, got "${flags.pacing}"`);
        const m = config.market ?? {};
        const params = resolveMarketParams({
          ...m,
          rules: { ...m.rules, ...(flags.reserve !== undefined ? { reserve: flags.reserve } : {}), ...(flags.slots !== undefined ? { slots: flags.slots } : {}) },
          ...(flags.pacing !== undefined ? { pacing: flags.pacing as (typeof PACINGS)[number] } : {}),
          ...(flags.budget !== undefined ? { budgetPerAuction: flags.budget } : {}),
          scorer: { ...m.scorer, ...(flags.agentAuc !== undefined ? { auc: flags.agentAuc } : {}) },
        });
        let ctr: Record<string, unknown> = { source: 'known CTR function (docs/auction.md)' };
        let ctrModel = null;
        if (flags.ctrData !== undefined) {
          info(flags, `training the CTR model on ${flags.ctrData}…`);
          const fit = fitCtrModel(await readImpressions(flags.ctrData), seed);
          ctrModel = fit.model;
          ctr = { source: flags.ctrData, method: 'phantom GBDT; 80/20 stratified split, early stopping on 10 % of the training rows', params: CTR_MODEL_PARAMS, rows: fit.rows, testAuc: fit.testAuc, knownFunctionAuc: fit.knownAuc, calibrationError: fit.calibrationError, meanPredicted: fit.meanPredicted, clickRate: fit.clickRate, trees: fit.bestIteration + 1, seed };
        } else if (flags.ctrModel !== undefined) {
          let text: string;
          try { text = await readFile(flags.ctrModel, 'utf8'); } catch (err) { throw new UsageError(`--ctr-model ${flags.ctrModel}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`); }
          ctrModel = readCtrModel(text, flags.ctrModel);
          ctr = { source: flags.ctrModel, trees: ctrModel.trees.length };
        }
        if (flags.agentScorer !== 'binormal' && flags.agentScorer !== 'kernel') throw new UsageError(`--agent-scorer must be binormal or kernel, got "${flags.agentScorer}"`);
        const scorerProfiles = flags.agentScorer === 'kernel' ? { human: await loadProfile(flags.profileHuman), agent: await loadProfile(flags.profileAgent) } : null;
        const spec: AuctionGridSpec = { bidders, mechanisms, alphas, seeds: Array.from({ length: seeds }, (_, k) => seed + k), auctions, params, ctrModel, scorerProfiles };
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const t0 = Date.now();
        const result = await runAuctionGrid(spec, { ...(flags.workers !== undefined ? { workers: flags.workers } : {}), onCell: (d, n) => progress.update(`auctions: ${d}/${n} runs`) });
        progress.done();
        const seconds = (Date.now() - t0) / 1000;
        const bidderCells = summariseBidders(result.bidders, flags.ci), marketCells = summariseMarket(result.market, flags.ci);
        const gains = defendedGains(result.bidders, flags.ci), waste = alphas.length > 1 ? wasteOnAlpha(result.market) : [];
        const grid = { bidders, mechanisms, alphas, seeds: spec.seeds, auctions, ci: flags.ci, agentScorer: scorerProfiles ? { kind: 'kernel', human: flags.profileHuman, agent: flags.profileAgent } : { kind: 'binormal', ...params.scorer } };
        const summary = { grid, market: params, ctr, bidders: bidderCells, marketSummary: marketCells, defendedGains: gains, wasteOnAlpha: waste };
        const files = await writeAuctionOutputs(flags.out, result, summary, marketCells, flags.plot);
        if (flags.json) { printJson({ ...summary, files, workers: result.workers, seconds }); return; }
        process.stdout.write(renderAuctionTables(bidderCells, marketCells, gains, flags.ci));
        info(flags, `${result.market.length} runs (${auctions.toLocaleString('en-US')} auctions each) in ${seconds.toFixed(1)} s on ${result.workers || 1} thread${result.workers === 1 ? '' : 's'}; wrote ${[files.runs, files.market, files.summary, ...files.figures].join(', ')}`);
      }),
    );
}
