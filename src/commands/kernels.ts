/**
 * `phantom kernels`: per-class transition kernels, KL/JS divergences between them and the split-half null
 * (docs/method.md). Writes kernels.json and, with --plot, heat maps and DOT graphs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { atomicWriteFile } from '../io/atomic.js';
import { fitKernels, type KernelsReport } from '../kernels/fit-kernels.js';
import { loadLabelledEvents, type LabelledEvents } from '../kernels/input.js';
import { loadExperimentLabels } from '../sources/experiments.js';
import { kernelMatrix, smoothingFor, visits } from '../kernels/kernel.js';
import { kernelsToJson } from '../kernels/kernels-file.js';
import { kernelsExtras } from '../kernels/kernels-extras.js';
import { MAX_ORDER } from '../kernels/order-transitions.js';
import { renderKernelsExtras, withExtras, writeAbsorbingPlot } from '../report/kernels-extras.js';
import { WEIGHTINGS, type Weighting } from '../kernels/kernel-divergence.js';
import { POOLINGS, type Pooling } from '../kernels/session-transitions.js';
import { STATE_MODES, type StateMode } from '../kernels/states.js';
import { writeKernelPlots } from '../report/figures/kernel-plots.js';
import { renderKeyValues, renderTable, type Cell } from '../report/table.js';
import { createRng } from '../stats/rng.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, refuseNoSessions } from './input-checks.js';
import { tableFormatOption } from './table-format-option.js';
import { conflictingLabelsWarning } from '../events/session-index.js';

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

interface KernelsFlags extends GlobalOptions, InputFlags {
  out?: string;
  state: StateMode;
  boundary: boolean;
  pooling: Pooling;
  smoothing: number;
  weighting: Weighting;
  bootstrap: number;
  seed: number;
  plot?: string;
  order: number | 'auto';
  absorbing?: boolean;
  evaluateNext?: boolean;
  top: number;
}

function orderOption(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  if (!/^[1-9]\d*$/.test(value) || Number(value) > MAX_ORDER) throw new InvalidArgumentError(`--order must be 1 to ${MAX_ORDER} or auto (got "${value}")`);
  return Number(value);
}

/** Shared by `kernels` and `separability`: how states and kernels are built. */
export function kernelOptions(cmd: Command): Command {
  return cmd
    .option('--label-column <name>', 'boolean label column (true = agent)', 'is_agent')
    .option('--experiments-from <file>', 'label sessions from an experiments export (.csv/.json): is_agent = NOT xp_human_only')
    .option('--state <mode>', `Markov state per event: ${STATE_MODES.join(', ')}`, choiceOption('--state', STATE_MODES), 'event')
    .option('--no-boundary', 'do not wrap trajectories in <start>/<end> states')
    .option('--pooling <how>', `pooled counts (MLE) or mean-of-rows (the original study): ${POOLINGS.join(', ')}`, choiceOption('--pooling', POOLINGS), 'pooled')
    .option('--smoothing <alpha>', 'additive (Dirichlet) smoothing of every reference kernel', numberOption('--smoothing', 0), 0.5)
    .option('--weighting <how>', `average over source states by ${WEIGHTINGS.join(' or ')} weights`, choiceOption('--weighting', WEIGHTINGS), 'visits');
}

function kernelTable(r: KernelsReport, c: 'human' | 'agent'): string {
  const v = r.vocabulary.length, k = kernelMatrix(r.classes[c].mass, smoothingFor(r.params.smoothing, r.vocabulary));
  const n = visits(r.classes[c]); // transitions out of each state: how much data a row rests on
  const rows: Cell[][] = r.vocabulary.map((s, a) => [s, ...Array.from(k.subarray(a * v, (a + 1) * v), (x) => Number(x.toFixed(3))), n[a]!]);
  return renderTable(['from \\ to', ...r.vocabulary, 'n'], rows);
}

export function define(cmd: Command): void {
  kernelOptions(tableFormatOption(withGlobalOptions(cmd)))
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('-o, --out <kernels.json>', 'write the kernels (matrices, vocabulary, raw counts, sessions)')
    .option('--bootstrap <B>', 'split-half null replicates (0 = none)', intOption('--bootstrap', 0, 1_000_000), 200)
    .option('-s, --seed <n>', 'random seed of the split-half null', intOption('--seed'), 42)
    .option('--plot <dir>', 'write kernel heat maps (SVG, PNG when available) and DOT graphs here')
    .option('--order <k>', `Markov order 1–${MAX_ORDER} (state = last k events), or auto: per class by LRT, AIC, BIC and held-out likelihood, kernels at the larger choice`, orderOption, 1)
    .option('--absorbing', 'absorbing-chain analysis (purchase_complete and <end> absorbing): P(purchase | state), expected steps, removal effects')
    .option('--evaluate-next', 'next-click prediction on a seeded 80/20 session split: hit rate@k and MRR@k per order vs popularity')
    .option('--top <k>', 'k of hit rate@k and MRR@k', intOption('--top', 1, 1000), 5)
    .addHelpText('after', `
Examples:
  $ phantom kernels events.parquet -o kernels.json
  $ phantom kernels events.parquet --state category --bootstrap 1000 --seed 7 --json
  $ phantom kernels events.parquet --pooling mean-of-rows --weighting uniform --smoothing 0   # the original study
  $ phantom kernels events.parquet -o kernels.json --plot plots/
  $ phantom kernels events.jsonl --experiments-from experiments.csv -o kernels.json
  $ phantom kernels events.parquet --order auto --absorbing --evaluate-next --bootstrap 0
  $ phantom kernels events.parquet --order 2 --json
Method and references: docs/method.md (order selection, absorbing chains, next-click prediction).`)
    .action(
      action('kernels', async (inputs: string[], flags: KernelsFlags) => {
        await checkInputs(inputs, EVENTS_INPUT, 'kernels needs');
        await checkOutputs({ files: { '-o': flags.out }, dirs: { '--plot': flags.plot } });
        const { table, flags: labels, rejected } = await labelledInput(inputs, flags);
        if (table.length === 0) refuseNoSessions(0, { rejected, events: 0 });
        const params = { state: flags.state, boundary: flags.boundary, pooling: flags.pooling, smoothing: flags.smoothing, weighting: flags.weighting };
        const extras = kernelsExtras(table, labels, params, {
          selectOrder: flags.order === 'auto', absorbing: flags.absorbing === true, evaluateNext: flags.evaluateNext === true, top: flags.top,
        }, createRng(flags.seed));
        const order = flags.order === 'auto' ? Math.max(1, ...Object.values(extras.orderSelection ?? {}).map((x) => x.selectedOrder)) : flags.order;
        const r = fitKernels(table, labels, params, { bootstrap: flags.bootstrap, rng: createRng(flags.seed), ...(order > 1 ? { order } : {}) });
        if (r.sessions.conflictingLabels > 0) warn(conflictingLabelsWarning(r.sessions.conflictingLabels));
        if (!Number.isFinite(r.divergence.klHumanAgent) || !Number.isFinite(r.divergence.klAgentHuman)) warn('a KL divergence is infinite: with --smoothing 0 a reference kernel has zeros where the other class moves');
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
        process.stdout.write(`${renderTable(['divergence', 'observed', 'null mean', 'p', 'lift'], [
          ['KL(H‖A)', d.klHumanAgent, n.klHumanAgent.nullMean, n.klHumanAgent.p, n.klHumanAgent.lift],
          ['KL(A‖H)', d.klAgentHuman, n.klAgentHuman.nullMean, n.klAgentHuman.p, n.klAgentHuman.lift],
          ['JS', d.js, n.js.nullMean, n.js.p, n.js.lift],
        ])}\n\n`);
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
