/**
 * `phantom separability`: per-session gap scores against leave-one-out class centroids and a Mann–Whitney U
 * test of human vs agent gaps, with effect sizes (docs/method.md). Optional scores file, plot and p-value gate.
 */
import type { Command } from 'commander';
import { GateFailed, UsageError } from '../errors.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import type { SeparabilityResult } from '../kernels/separability.js';
import { pAboveGate, runSeparability, SEPARABILITY_DEFAULTS as D, type SeparabilityRunOptions } from '../kernels/run-separability.js';
import { writeScores } from '../kernels/scores-file.js';
import { writeGapPlot } from '../report/figures/kernel-plots.js';
import { formatPValue, gapAuc, pValueInMessage } from '../report/headline-numbers.js';
import { renderKeyValues, renderTable } from '../report/table.js';
import { ALTERNATIVES, MANN_WHITNEY_METHODS } from '../stats/mann-whitney-types.js';
import { kernelOptions, labelledInput, type EventsCommandArgs, type KernelFlags } from './kernels.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, KERNELS_INPUT, refuseNoSessions } from './input-checks.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';
import { withOldConflictKey } from '../events/session-index.js';

/** What one `phantom separability …` asks for: the inputs, the library options, and where and how to render. */
export interface SeparabilityArgs extends EventsCommandArgs<SeparabilityRunOptions> {
  /** stored kernels to score against (read into `options.kernels` by the command) */
  kernelsFile: string | null;
  failIfPAbove: number | null;
}

/** The --json document: parameters, counts, per-group statistics and the test (scores go to -o). */
export function separabilityJson(r: SeparabilityResult): Record<string, unknown> {
  const t = r.test;
  return {
    params: r.params, counts: withOldConflictKey(r.counts), groups: r.groups,
    // effect.auc (P(human gap > agent gap)) stays for one release; aucGapPredictsAgent is the headline
    test: { ...t, pvalueText: formatPValue(t.pvalue, t.z), effect: { ...t.effect, aucGapPredictsAgent: gapAuc(t) } },
  };
}

/** U is a whole or half number (ties share midranks): printed in full, never rounded to 4 digits. */
function exactU(u: number): string {
  return u.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

function render(r: SeparabilityResult): string {
  const g = r.groups, t = r.test;
  const row = (name: string, d: typeof g.human) => [name, d.n, `${d.mean.toFixed(3)} ± ${d.std1.toFixed(3)}`, d.median, d.iqr, d.min, d.max];
  return `${renderTable(['group', 'n', 'gap mean ± sd', 'median', 'IQR', 'min', 'max'], [row('human', g.human), row('agent', g.agent)])}\n\n${renderKeyValues([
    ['AUC: gap predicts agent', gapAuc(t)], ['p', formatPValue(t.pvalue, t.z)],
    ['test', `Mann–Whitney ${t.method}, ${t.alternative}${t.continuity ? ', continuity-corrected' : ''}; U as scipy.stats.mannwhitneyu(human, agent)`],
    ['U (human)', exactU(t.statistic)], ["U' (agent) = n1·n2 − U", exactU(t.statisticOther)],
    ['P(human gap > agent gap) = U/(n1·n2)', t.effect.auc], ["rank-biserial (Cliff's δ)", t.effect.rankBiserial], ['Hodges–Lehmann shift', t.effect.hodgesLehmann],
    ['centroids', `${r.params.inSample ? 'in-sample (original study)' : 'leave-one-out'}, ${r.params.kernels}`],
    ['sessions scored', `${r.counts.scored} of ${r.counts.sessions} (${r.counts.tooShort} with < 2 events, ${r.counts.unlabelled} unlabelled)`],
  ])}`;
}

/** The flags of `separability`, defaults from SEPARABILITY_DEFAULTS. */
export function declareSeparability(cmd: Command): Command {
  return kernelOptions(tableFormatOption(withGlobalOptions(cmd)))
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('--kernels <kernels.json>', 'score against stored kernels (their state, boundary and pooling are used)')
    .option('-o, --out <scores>', 'per-session scores: .parquet or .csv')
    .option('--in-sample', 'score against centroids that contain the session (reproduces the original study)')
    .option('--temperature <T>', 'agent probability f = σ(gap / T)', numberOption('--temperature', Number.MIN_VALUE), D.temperature)
    .option('--alternative <h>', `Mann–Whitney alternative for human vs agent: ${ALTERNATIVES.join(', ')}`, choiceOption('--alternative', ALTERNATIVES), D.alternative)
    .option('--method <m>', `p-value method: ${MANN_WHITNEY_METHODS.join(', ')}`, choiceOption('--method', MANN_WHITNEY_METHODS), D.method)
    .option('--no-continuity', 'no continuity correction in the asymptotic p-value')
    .option('--permutations <n>', 'resamples for --method permutation', intOption('--permutations', 1), D.permutations)
    .option('-s, --seed <n>', 'random seed (permutation method)', intOption('--seed'), D.seed)
    .option('--fail-if-p-above <p>', 'exit 4 when the p-value is above this', numberOption('--fail-if-p-above', 0, 1))
    .option('--plot <dir>', 'write the gap-score strip/box plot here')
    .option('--order <k>', 'Markov order of the kernels fitted here and of the gap scores (1–3; docs/method.md §7)', intOption('--order', 1, 3), D.order)
    .addHelpText('after', `
Examples:
  $ phantom separability events.parquet -o scores.parquet
  $ phantom separability events.parquet --kernels kernels.json --json
  $ phantom separability events.parquet --in-sample --pooling mean-of-rows --weighting uniform   # the original study, smoothed (docs/method.md §5)
  $ phantom separability events.parquet --fail-if-p-above 0.01 --plot plots/`);
}

/** Parsed flags → library options (smoothing and weighting null with --kernels unless given: the stored ones apply). */
export function separabilityArgs(cmd: Command, inputs: string[]): SeparabilityArgs {
  const f = cmd.opts<KernelFlags & Omit<SeparabilityRunOptions, 'smoothing' | 'weighting' | 'kernels' | 'inSample'> & { kernels?: string; out?: string; plot?: string; inSample?: boolean; failIfPAbove?: number; json?: boolean; quiet?: boolean }>();
  const explicit = (k: 'smoothing' | 'weighting') => f.kernels === undefined || cmd.getOptionValueSource(k) === 'cli';
  return {
    inputs, labels: { labelColumn: f.labelColumn, ...(f.experimentsFrom !== undefined ? { experimentsFrom: f.experimentsFrom } : {}) },
    kernelsFile: f.kernels ?? null, out: f.out ?? null, plot: f.plot ?? null, failIfPAbove: f.failIfPAbove ?? null, json: f.json === true, quiet: f.quiet === true,
    options: {
      state: f.state, boundary: f.boundary, pooling: f.pooling, smoothing: explicit('smoothing') ? f.smoothing : null, weighting: explicit('weighting') ? f.weighting : null,
      kernels: null, inSample: f.inSample ?? false, temperature: f.temperature, alternative: f.alternative, method: f.method, continuity: f.continuity,
      permutations: f.permutations, seed: f.seed, order: f.order,
    },
  };
}

/** `phantom separability` argv (after the command name) → its options, without running it. */
export function parseSeparabilityArgs(argv: readonly string[]): SeparabilityArgs {
  return parseArgv('separability', declareSeparability, separabilityArgs, argv);
}

export function define(cmd: Command): void {
  declareSeparability(cmd)
    .action(
      action('separability', async (inputs: string[]) => {
        const a = separabilityArgs(cmd, inputs);
        const flags = { ...a, out: a.out ?? undefined, plot: a.plot ?? undefined, kernels: a.kernelsFile ?? undefined };
        await checkInputs(inputs, EVENTS_INPUT, 'separability needs');
        await checkInputs([flags.kernels], KERNELS_INPUT, '--kernels must be');
        await checkOutputs({ files: { '-o': flags.out }, dirs: { '--plot': flags.plot } });
        const stored = flags.kernels ? await readKernelsFile(flags.kernels) : undefined;
        if (stored) {
          const given = cmd.opts<KernelFlags>();
          for (const k of ['state', 'boundary', 'pooling', 'smoothing', 'weighting'] as const) {
            if (cmd.getOptionValueSource(k) === 'cli' && given[k] !== stored.params[k]) {
              throw new UsageError(`--${k === 'boundary' ? 'no-boundary' : k} conflicts with ${flags.kernels} (fitted with ${k} ${String(stored.params[k])}); refit the kernels or drop the flag`);
            }
          }
        }
        const events = await labelledInput(inputs, a.labels);
        if (events.table.length === 0) refuseNoSessions(0, { rejected: events.rejected, events: 0 });
        const r = runSeparability(events, { ...a.options, kernels: stored ?? null, onWarning: warn });
        if (flags.out) await writeScores(flags.out, r);
        const plots = flags.plot ? await writeGapPlot(flags.plot, r) : [];
        if (plots.length > 0 && !plots.some((p) => p.endsWith('.png'))) warn('PNG figures need the optional package @resvg/resvg-js; wrote SVG only');
        if (flags.json) printJson({ ...separabilityJson(r), output: flags.out ?? null, plots });
        else process.stdout.write(`${render(r)}\n`);
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
        if (pAboveGate(r, a.failIfPAbove)) {
          throw new GateFailed(`p = ${pValueInMessage(r.test.pvalue, r.test.z)} is above --fail-if-p-above ${flags.failIfPAbove}: human and agent gap scores are not separable enough`);
        }
      }),
    );
}
