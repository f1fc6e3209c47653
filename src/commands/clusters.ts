/**
 * `phantom clusters`: unsupervised session clusters — a mixture of first-order Markov chains fitted by EM,
 * k chosen by BIC — written one row per session; with labels, how the clusters line up with them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { clusterSessions, DEFAULT_TIMING } from '../clusters/cluster-sessions.js';
import { TIMING_MODES } from '../clusters/gap-emission.js';
import { writeClusters } from '../clusters/clusters-file.js';
import { MIXTURE_DEFAULTS } from '../clusters/markov-mixture.js';
import { writeClusterPlots } from '../report/figures/cluster-plots.js';
import { renderKeyValues, renderTable, type Cell } from '../report/table.js';
import { createRng } from '../stats/rng.js';
import { checkInputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { labelledInput, type InputFlags } from './kernels.js';
import { action, choiceOption, info, intOption, printJson, withGlobalOptions, type GlobalOptions } from './runtime.js';

const CLUSTER_STATES = ['event', 'category'] as const;

interface ClustersFlags extends GlobalOptions, InputFlags {
  out?: string;
  k: number[];
  restarts: number;
  maxIterations: number;
  seed: number;
  state: (typeof CLUSTER_STATES)[number];
  timing: (typeof TIMING_MODES)[number];
  plot?: string;
  workers: number;
}

/** `--k 2:10`, `--k 3` or `--k 2,4,6`. */
function kRange(value: string): number[] {
  const m = /^(\d+):(\d+)$/.exec(value);
  const ks = m ? Array.from({ length: Math.max(0, Number(m[2]) - Number(m[1]) + 1) }, (_, i) => Number(m[1]) + i) : value.split(',').map(Number);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1 || k > 50)) throw new InvalidArgumentError(`--k must be a range like 2:10 or a list like 2,3,5 of integers from 1 to 50 (got "${value}")`);
  return ks;
}

export function define(cmd: Command): void {
  withGlobalOptions(cmd)
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('-o, --out <clusters.parquet>', 'write one row per session: sessionId, cluster, p_cluster_0 … p_cluster_{k-1}')
    .addOption(new Option('--k <range>', 'numbers of clusters to try; the lowest BIC wins (e.g. 2:10, 4, 2,3,5)').argParser(kRange).default(kRange('2:10'), '2:10'))
    .option('--restarts <n>', 'seeded EM restarts per k (15 iterations each, the best continues)', intOption('--restarts', 1, 1000), MIXTURE_DEFAULTS.restarts)
    .option('--max-iterations <n>', 'EM iterations at most', intOption('--max-iterations', 1, 1_000_000), MIXTURE_DEFAULTS.maxIterations)
    .option('-s, --seed <n>', 'random seed of the restarts', intOption('--seed'), 42)
    .option('--state <mode>', `Markov state per event: ${CLUSTER_STATES.join(', ')}`, choiceOption('--state', CLUSTER_STATES), 'event')
    .option('--timing <mode>', 'what each cluster emits besides the event chain: dwell (log-normal time per cluster and event), gap (one log-normal gap per cluster), none', choiceOption('--timing', TIMING_MODES), DEFAULT_TIMING)
    .option('--label-column <name>', 'boolean label column used only to report agent shares and the adjusted Rand index', 'is_agent')
    .option('--experiments-from <file>', 'labels from an experiments export (.csv/.json), for the report only')
    .option('--plot <dir>', 'write a heat map of each cluster kernel here')
    .option('-w, --workers <n>', `threads of the EM E-step from ${MIXTURE_DEFAULTS.threadMinSessions.toLocaleString('en-US')} sessions on (1 = this thread only); results differ only in the order of floating-point sums`, intOption('--workers', 1, 64), MIXTURE_DEFAULTS.threads)
    .addHelpText('after', `
Examples:
  $ phantom clusters events.parquet -o clusters.parquet
  $ phantom clusters events.parquet -o clusters.parquet --k 2:6 --seed 7 --plot plots/
  $ phantom clusters events.parquet --k 3 --json
  $ phantom clusters events.parquet --timing none      # event order only (no timestamps used)
Labels are never used to fit; when present, each cluster's agent share and the adjusted Rand index are shown.
Method: docs/method.md ("Session clusters").`)
    .action(
      action('clusters', async (inputs: string[], flags: ClustersFlags) => {
        await checkInputs(inputs, EVENTS_INPUT, 'clusters needs');
        const { table, flags: labels, rejected } = await labelledInput(inputs, flags);
        if (table.length === 0) refuseNoSessions(0, { rejected, events: 0 });
        const r = clusterSessions(table, labels, { ks: flags.k, rng: createRng(flags.seed), state: flags.state, timing: flags.timing, restarts: flags.restarts, maxIterations: flags.maxIterations, threads: flags.workers });
        if (flags.out) await writeClusters(flags.out, r, { 'phantom.seed': String(flags.seed), 'phantom.timing': r.model.timing });
        const plots = flags.plot ? await writeClusterPlots(flags.plot, r) : [];
        const m = r.model;
        const summary = {
          k: m.k, selection: r.fit.selection, logLikelihood: m.logLikelihood, bic: m.bic, parameters: m.parameters, iterations: m.iterations, converged: m.converged,
          restart: m.restart, seed: flags.seed, workers: r.fit.threads, state: r.state, timing: m.timing, sessions: r.ids.length, adjustedRand: r.adjustedRand, clusters: r.clusters, vocabulary: r.vocabulary,
          kernels: r.clusters.map((c) => Array.from(m.kernels.subarray(c.cluster * r.vocabulary.length ** 2, (c.cluster + 1) * r.vocabulary.length ** 2))),
          gapLogMean: r.clusters.map((c) => Array.from(m.gapMean.subarray(c.cluster * m.gapGroups, (c.cluster + 1) * m.gapGroups))),
          gapLogVariance: r.clusters.map((c) => Array.from(m.gapVariance.subarray(c.cluster * m.gapGroups, (c.cluster + 1) * m.gapGroups))),
          output: flags.out ?? null, plots,
        };
        if (flags.json) {
          printJson(summary);
          return;
        }
        process.stdout.write(`${renderTable(['k', 'log-likelihood', 'parameters', 'BIC'], r.fit.selection.map((s): Cell[] => [s.k === m.k ? `${s.k} ←` : s.k, s.logLikelihood, s.parameters, s.bic]))}\n\n`);
        process.stdout.write(`${renderTable(['cluster', 'sessions', 'weight π', 'gap geo-mean (s)', 'labelled', 'agent share', 'share of all agents'],
          r.clusters.map((c): Cell[] => [c.cluster, c.sessions, c.weight, Number.isNaN(c.gapGeometricMeanSec) ? null : c.gapGeometricMeanSec, c.labelled, c.agentShare, c.shareOfAgents]))}\n\n`);
        process.stdout.write(`${renderKeyValues([
          ['clusters (by BIC)', m.k], ['sessions', r.ids.length], ['states', `${r.vocabulary.length} (${r.state}, with <start>/<end>)`],
          ['timing', m.timing === 'none' ? (r.timing === 'none' ? 'none (event order only)' : 'none (no session had two timestamped events)') : `${m.timing}: log-normal ${m.timing === 'gap' ? 'gap per cluster' : 'dwell per cluster and state'}`],
          ['EM', `${m.iterations} iterations${m.converged ? '' : ' (not converged)'}, best of ${flags.restarts} restarts (seed ${flags.seed})`],
          ['adjusted Rand vs labels', Number.isNaN(r.adjustedRand) ? 'no labels of both classes' : r.adjustedRand], ['output', flags.out ?? '–'],
        ])}\n`);
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
      }),
    );
}
