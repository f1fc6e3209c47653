/**
 * `phantom clusters`: unsupervised session clusters — a mixture of first-order Markov chains fitted by EM,
 * k chosen by BIC — written one row per session; with labels, how the clusters line up with them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { TIMING_MODES } from '../clusters/gap-emission.js';
import { writeClusters } from '../clusters/clusters-file.js';
import { CLUSTER_STATES, CLUSTERS_DEFAULTS as D, ksText, runClusters, type ClustersOptions } from '../clusters/run-clusters.js';
import { MIXTURE_DEFAULTS } from '../clusters/markov-mixture.js';
import { LABELLED_INPUT_DEFAULTS } from '../kernels/run-kernels.js';
import { writeClusterPlots } from '../report/figures/cluster-plots.js';
import { renderKeyValues, renderTable, type Cell } from '../report/table.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { labelledInput, type EventsCommandArgs, type InputFlags } from './kernels.js';
import { action, choiceOption, info, intOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { parseArgv } from './parse-argv.js';

interface ClustersFlags extends GlobalOptions, InputFlags {
  out?: string;
  k: number[];
  restarts: number;
  maxIterations: number;
  seed: number;
  state: ClustersOptions['state'];
  timing: ClustersOptions['timing'];
  plot?: string;
  workers: number;
}

export type ClustersArgs = EventsCommandArgs<ClustersOptions>;

/** `--k 2:10`, `--k 3` or `--k 2,4,6`. */
function kRange(value: string): number[] {
  const m = /^(\d+):(\d+)$/.exec(value);
  const ks = m ? Array.from({ length: Math.max(0, Number(m[2]) - Number(m[1]) + 1) }, (_, i) => Number(m[1]) + i) : value.split(',').map(Number);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > 50)) throw new InvalidArgumentError(`--k must be a range like 2:10 or a list like 2,3,5 of integers from 1 to 50 (got "${value}")`);
  return ks;
}

/** The flags of `clusters`, defaults from CLUSTERS_DEFAULTS. */
export function declareClusters(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('-o, --out <clusters.parquet>', 'write one row per session: sessionId, cluster, p_cluster_0 … p_cluster_{k-1}')
    .addOption(new Option('--k <range>', 'numbers of clusters to try; the lowest BIC wins (e.g. 2:10, 4, 2,3,5)').argParser(kRange).default(D.ks, ksText(D.ks)))
    .option('--restarts <n>', 'seeded EM restarts per k (15 iterations each, the best continues)', intOption('--restarts', 1, 1000), D.restarts)
    .option('--max-iterations <n>', 'EM iterations at most', intOption('--max-iterations', 1, 1_000_000), D.maxIterations)
    .option('-s, --seed <n>', 'random seed of the restarts', intOption('--seed'), D.seed)
    .option('--state <mode>', `Markov state per event: ${CLUSTER_STATES.join(', ')}`, choiceOption('--state', CLUSTER_STATES), D.state)
    .option('--timing <mode>', 'what each cluster emits besides the event chain: dwell (log-normal time per cluster and event), gap (one log-normal gap per cluster), none', choiceOption('--timing', TIMING_MODES), D.timing)
    .option('--label-column <name>', 'boolean label column used only to report agent shares and the adjusted Rand index', LABELLED_INPUT_DEFAULTS.labelColumn)
    .option('--experiments-from <file>', 'labels from an experiments export (.csv/.json), for the report only')
    .option('--plot <dir>', 'write a heat map of each cluster kernel here')
    .option('-w, --workers <n>', `threads of the EM E-step from ${MIXTURE_DEFAULTS.threadMinSessions.toLocaleString('en-US')} sessions on (1 = this thread only); results differ only in the order of floating-point sums`, intOption('--workers', 1, 64), D.threads)
    .addHelpText('after', `
Examples:
  $ phantom clusters events.parquet -o clusters.parquet
  $ phantom clusters events.parquet -o clusters.parquet --k 2:6 --seed 7 --plot plots/
  $ phantom clusters events.parquet --k 3 --json
  $ phantom clusters events.parquet --timing none      # event order only (no timestamps used)
Labels are never used to fit; when present, each cluster's agent share and the adjusted Rand index are shown.
Method: docs/method.md ("Session clusters").`);
}

/** Parsed flags → library options. */
export function clustersArgs(cmd: Command, inputs: string[]): ClustersArgs {
  const f = cmd.opts<ClustersFlags>();
  return {
    inputs, labels: { labelColumn: f.labelColumn, ...(f.experimentsFrom !== undefined ? { experimentsFrom: f.experimentsFrom } : {}) },
    out: f.out ?? null, plot: f.plot ?? null, json: f.json === true, quiet: f.quiet === true,
    options: { ks: f.k, restarts: f.restarts, maxIterations: f.maxIterations, seed: f.seed, state: f.state, timing: f.timing, threads: f.workers },
  };
}

/** `phantom clusters` argv (after the command name) → its options, without running it. */
export function parseClustersArgs(argv: readonly string[]): ClustersArgs {
  return parseArgv('clusters', declareClusters, clustersArgs, argv);
}

export function define(cmd: Command): void {
  declareClusters(cmd)
    .action(
      action('clusters', async (inputs: string[]) => {
        const a = clustersArgs(cmd, inputs);
        const flags = { ...a, restarts: a.options.restarts, seed: a.options.seed };
        await checkInputs(inputs, EVENTS_INPUT, 'clusters needs');
        await checkOutputs({ files: { '-o': a.out ?? undefined }, dirs: { '--plot': a.plot ?? undefined } });
        const events = await labelledInput(inputs, a.labels);
        if (events.table.length === 0) refuseNoSessions(0, { rejected: events.rejected, events: 0 });
        const { result: r, summary } = runClusters(events, a.options);
        if (a.out) await writeClusters(a.out, r, { 'phantom.seed': String(flags.seed), 'phantom.timing': r.model.timing });
        const plots = a.plot ? await writeClusterPlots(a.plot, r) : [];
        const m = r.model;
        if (a.json) {
          printJson({ ...summary, output: a.out, plots });
          return;
        }
        process.stdout.write(`${renderTable(['k', 'log-likelihood', 'parameters', 'BIC'], r.fit.selection.map((s): Cell[] => [s.k === m.k ? `${s.k} ←` : s.k, s.logLikelihood, s.parameters, s.bic]))}\n\n`);
        process.stdout.write(`${renderTable(['cluster', 'sessions', 'weight π', 'gap geo-mean (s)', 'labelled', 'agent share', 'share of all agents'],
          r.clusters.map((c): Cell[] => [c.cluster, c.sessions, c.weight, Number.isNaN(c.gapGeometricMeanSec) ? null : c.gapGeometricMeanSec, c.labelled, c.agentShare, c.shareOfAgents]))}\n\n`);
        process.stdout.write(`${renderKeyValues([
          ['clusters (by BIC)', m.k], ['sessions', r.ids.length], ['states', `${r.vocabulary.length} (${r.state}, with <start>/<end>)`],
          ['timing', m.timing === 'none' ? (r.timing === 'none' ? 'none (event order only)' : 'none (no session had two timestamped events)') : `${m.timing}: log-normal ${m.timing === 'gap' ? 'gap per cluster' : 'dwell per cluster and state'}`],
          ['EM', `${m.iterations} iterations${m.converged ? '' : ' (not converged)'}, best of ${flags.restarts} restarts (seed ${flags.seed})`],
          ['adjusted Rand vs labels', Number.isNaN(r.adjustedRand) ? 'no labels of both classes' : r.adjustedRand], ['output', a.out ?? '–'],
        ])}\n`);
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
      }),
    );
}
