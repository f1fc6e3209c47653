/**
 * `phantom kernels`: per-class transition kernels, KL/JS divergences between them and the split-half null
 * (docs/method.md). Writes kernels.json and, with --plot, heat maps and DOT graphs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { atomicWriteFile } from '../io/atomic.js';
import type { KernelsReport } from '../kernels/fit-kernels.js';
import { loadLabelledEvents, type LabelledEvents } from '../kernels/input.js';
import { loadExperimentLabels } from '../sources/experiments.js';
import { kernelMatrix, smoothingFor, visits } from '../kernels/kernel.js';
import { kernelsToJson } from '../kernels/kernels-file.js';
import { MAX_ORDER } from '../kernels/order-transitions.js';
import { KERNELS_DEFAULTS as D, LABELLED_INPUT_DEFAULTS, runKernels, type KernelsOptions } from '../kernels/run-kernels.js';
import { divergenceRows, renderKernelsExtras, withExtras, writeAbsorbingPlot } from '../report/kernels-extras.js';
import { WEIGHTINGS, type Weighting } from '../kernels/kernel-divergence.js';
import { POOLINGS, type Pooling } from '../kernels/session-transitions.js';
import { STATE_MODES, type StateMode } from '../kernels/states.js';
import { writeKernelPlots } from '../report/figures/kernel-plots.js';
import { renderKeyValues, renderTable, type Cell } from '../report/table.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

/** Input flags shared by `kernels` and `separability`. */
export interface InputFlags {
  labelColumn: string;
  experimentsFrom?: string;
}

/**
 * Events and labels as the flags ask, with warnings for what was skipped or relabelled.
 * @example const { table, flags } = await labelledInput(['events.parquet'], { labelColumn: 'is_agent' });
 */
export async function labelledInput(inputs: string[], f: InputFlags): Promise<LabelledEvents> {
  const experiments = f.experimentsFrom ? await loadExperimentLabels({ kind: 'file', path: f.experimentsFrom }) : undefined;
  const loaded = await loadLabelledEvents(inputs, { labelColumn: f.labelColumn, experiments });
  if (loaded.rejected > 0) warn(`${loaded.rejected.toLocaleString('en-US')} records could not be normalised and were skipped`);
  if (loaded.relabelled > 0) warn(`${loaded.relabelled.toLocaleString('en-US')} events had a stored label that the experiments table contradicts; the experiments table wins`);
  return loaded;
}

/** What one `phantom kernels|separability|clusters …` asks for: the inputs, the library options `O`, and where and how to render. */
export interface EventsCommandArgs<O> {
  inputs: string[];
  labels: InputFlags;
  out: string | null;
  plot: string | null;
  json: boolean;
  quiet: boolean;
  options: O;
}

export type KernelsArgs = EventsCommandArgs<KernelsOptions>;

function orderOption(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_ORDER) throw new InvalidArgumentError(`--order must be 1 to ${MAX_ORDER} or auto (got "${value}")`);
  return Number(value);
}

/** The label and kernel-building flags as parsed: what `kernels` and `separability` share. */
export interface KernelFlags extends InputFlags {
  state: StateMode;
  boundary: boolean;
  pooling: Pooling;
  smoothing: number;
  weighting: Weighting;
}

/** Shared by `kernels` and `separability`: how states and kernels are built. */
export function kernelOptions(cmd: Command): Command {
  return cmd
    .option('--label-column <name>', 'boolean label column (true = agent)', LABELLED_INPUT_DEFAULTS.labelColumn)
    .option('--experiments-from <file>', 'label sessions from an experiments export (.csv/.json): is_agent = NOT xp_human_only')
    .option('--state <mode>', `Markov state per event: ${STATE_MODES.join(', ')}`, choiceOption('--state', STATE_MODES), D.state)
    .option('--no-boundary', 'do not wrap trajectories in <start>/<end> states')
    .option('--pooling <how>', `pooled counts (MLE) or mean-of-rows (the original study): ${POOLINGS.join(', ')}`, choiceOption('--pooling', POOLINGS), D.pooling)
    .option('--smoothing <alpha>', 'additive (Dirichlet) smoothing of every reference kernel', numberOption('--smoothing', 0), D.smoothing)
    .option('--weighting <how>', `average over source states by ${WEIGHTINGS.join(' or ')} weights`, choiceOption('--weighting', WEIGHTINGS), D.weighting);
}

function kernelTable(r: KernelsReport, c: 'human' | 'agent'): string {
  const v = r.vocabulary.length, k = kernelMatrix(r.classes[c].mass, smoothingFor(r.params.smoothing, r.vocabulary));
  const n = visits(r.classes[c]); // transitions out of each state: how much data a row rests on
  const rows: Cell[][] = r.vocabulary.map((s, a) => [s, ...Array.from(k.subarray(a * v, (a + 1) * v), (x) => Number(x.toFixed(3))), n[a]!]);
  return renderTable(['from \\ to', ...r.vocabulary, 'n'], rows);
}

/** The flags of `kernels`, defaults from KERNELS_DEFAULTS. */
export function declareKernels(cmd: Command): Command {
  return kernelOptions(tableFormatOption(withGlobalOptions(cmd)))
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('-o, --out <kernels.json>', 'write the kernels (matrices, vocabulary, raw counts, sessions)')
    .option('--bootstrap <B>', 'split-half null replicates (0 = none)', intOption('--bootstrap', 0, 1_000_000), D.bootstrap)
    .option('-s, --seed <n>', 'random seed of the split-half null', intOption('--seed'), D.seed)
    .option('--plot <dir>', 'write kernel heat maps (SVG, PNG when available) and DOT graphs here')
    .option('--order <k>', `Markov order 1–${MAX_ORDER} (state = last k events), or auto: per class by LRT, AIC, BIC and held-out likelihood, kernels at the larger choice`, orderOption, D.order)
    .option('--absorbing', 'absorbing-chain analysis (purchase_complete and <end> absorbing): P(purchase | state), expected steps, removal effects')
    .option('--evaluate-next', 'next-click prediction on a seeded 80/20 session split: hit rate@k and MRR@k per order vs popularity')
    .option('--top <k>', 'k of hit rate@k and MRR@k', intOption('--top', 1, 1000), D.top)
    .addHelpText('after', `
Examples:
  $ phantom kernels events.parquet -o kernels.json
  $ phantom kernels events.parquet --state category --bootstrap 1000 --seed 7 --json
  $ phantom kernels events.parquet --pooling mean-of-rows --weighting uniform --smoothing 0   # the original study
  $ phantom kernels events.parquet -o kernels.json --plot plots/
  $ phantom kernels events.jsonl --experiments-from experiments.csv -o kernels.json
  $ phantom kernels events.parquet --order auto --absorbing --evaluate-next --bootstrap 0
  $ phantom kernels events.parquet --order 2 --json
Method and references: docs/method.md (order selection, absorbing chains, next-click prediction).`);
}

/** Parsed flags → library options. */
export function kernelsArgs(cmd: Command, inputs: string[]): KernelsArgs {
  const f = cmd.opts<KernelFlags & { out?: string; plot?: string; bootstrap: number; seed: number; order: number | 'auto'; absorbing?: boolean; evaluateNext?: boolean; top: number; json?: boolean; quiet?: boolean }>();
  return {
    inputs, labels: { labelColumn: f.labelColumn, ...(f.experimentsFrom !== undefined ? { experimentsFrom: f.experimentsFrom } : {}) },
    out: f.out ?? null, plot: f.plot ?? null, json: f.json === true, quiet: f.quiet === true,
    options: {
      state: f.state, boundary: f.boundary, pooling: f.pooling, smoothing: f.smoothing, weighting: f.weighting,
      bootstrap: f.bootstrap, seed: f.seed, order: f.order, absorbing: f.absorbing === true, evaluateNext: f.evaluateNext === true, top: f.top,
    },
  };
}

/** `phantom kernels` argv (after the command name) → its options, without running it. */
export function parseKernelsArgs(argv: readonly string[]): KernelsArgs {
  return parseArgv('kernels', declareKernels, kernelsArgs, argv);
}

export function define(cmd: Command): void {
  declareKernels(cmd)
    .action(
      action('kernels', async (inputs: string[]) => {
        const a = kernelsArgs(cmd, inputs);
        const flags = { ...a, out: a.out ?? undefined, plot: a.plot ?? undefined, seed: a.options.seed };
        await checkInputs(inputs, EVENTS_INPUT, 'kernels needs');
        await checkOutputs({ files: { '-o': flags.out }, dirs: { '--plot': flags.plot } });
        const events = await labelledInput(inputs, a.labels);
        if (events.table.length === 0) refuseNoSessions(0, { rejected: events.rejected, events: 0 });
        const { report: r, extras, order } = runKernels(events, { ...a.options, onWarning: warn });
        const doc = withExtras(kernelsToJson(r, { input: inputs, seed: flags.seed }), extras);
        if (flags.out) await atomicWriteFile(flags.out, `${JSON.stringify(doc)}\n`);
        if (flags.plot && order > 1) warn(`--plot: heat maps show first-order kernels; with --order ${order} only the extra figures are written`);
        const plots = flags.plot ? [...(order > 1 ? [] : await writeKernelPlots(flags.plot, r)), ...(extras.absorbing ? await writeAbsorbingPlot(flags.plot, extras.absorbing) : [])] : [];
        if (plots.length > 0 && !plots.some((p) => p.endsWith('.png'))) warn('PNG figures need the optional package @resvg/resvg-js; wrote SVG only');
        if (flags.json) {
          const { classes, ...rest } = doc as { classes: Record<string, { sessionIds: string[] }> };
          const slim = Object.fromEntries(Object.entries(classes).map(([c, k]) => [c, { ...k, sessionIds: undefined }]));
          printJson({ ...rest, classes: slim, output: flags.out ?? null, plots });
          return;
        }
        const d = r.divergence, n = r.null;
        process.stdout.write(`${renderTable(['class', 'sessions', 'transitions'], [
          ['human', r.classes.human.sessions, r.classes.human.transitions], ['agent', r.classes.agent.sessions, r.classes.agent.transitions],
        ])}\n\n`);
        if (order === 1 && r.vocabulary.length <= 16) process.stdout.write(`human kernel\n${kernelTable(r, 'human')}\n\nagent kernel\n${kernelTable(r, 'agent')}\n\n`);
        process.stdout.write(`${renderTable(['divergence', 'observed', 'null mean', 'p', 'lift'], divergenceRows(d, n))}\n\n`);
        process.stdout.write(`${renderKeyValues([
          ['states', `${r.vocabulary.length} (${r.params.state}${r.params.boundary ? ', with <start>/<end>' : ''})`],
          ...(order > 1 ? [['order', `${order} (${r.histories!.length} histories)`] as [string, Cell]] : []),
          ['shared source states', d.sharedStates], ['pooling', r.params.pooling], ['smoothing α', r.params.smoothing],
          ['weighting', r.params.weighting], ['null replicates', `${n.replicates} (seed ${flags.seed})`],
          ['unlabelled sessions', r.sessions.unlabelled], ['output', flags.out ?? '–'],
        ])}\n`);
        const more = renderKernelsExtras(extras);
        if (more) process.stdout.write(`\n${more}\n`);
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
      }),
    );
}
