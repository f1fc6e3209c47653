/**
 * `phantom separability`: per-session gap scores against leave-one-out class centroids and a Mann–Whitney U
 * test of human vs agent gaps, with effect sizes (docs/method.md). Optional scores file, plot and p-value gate.
 */
import type { Command } from 'commander';
import { GateFailed, UsageError } from '../errors.js';
import { readKernelsFile } from '../kernels/kernels-file.js';
import type { KernelParams } from '../kernels/fit-kernels.js';
import { separability, type SeparabilityResult } from '../kernels/separability.js';
import { writeScores } from '../kernels/scores-file.js';
import { writeGapPlot } from '../report/figures/kernel-plots.js';
import { formatPValue, gapAuc, pValueInMessage } from '../report/headline-numbers.js';
import { renderKeyValues, renderTable } from '../report/table.js';
import { ALTERNATIVES, MANN_WHITNEY_METHODS, type Alternative, type MannWhitneyMethod } from '../stats/mann-whitney-types.js';
import { createRng } from '../stats/rng.js';
import { kernelOptions, labelledInput, type InputFlags } from './kernels.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, EVENTS_INPUT, KERNELS_INPUT, refuseNoSessions } from './input-checks.js';
import { tableFormatOption } from './table-format-option.js';
import { conflictingLabelsWarning } from '../events/session-index.js';

interface SeparabilityFlags extends GlobalOptions, KernelParams, InputFlags {
  kernels?: string;
  out?: string;
  inSample?: boolean;
  temperature: number;
  alternative: Alternative;
  method: MannWhitneyMethod;
  continuity: boolean;
  permutations: number;
  seed: number;
  failIfPAbove?: number;
  plot?: string;
  order: number;
}

/** The --json document: parameters, counts, per-group statistics and the test (scores go to -o). */
export function separabilityJson(r: SeparabilityResult): Record<string, unknown> {
  const t = r.test;
  return {
    // counts.labelConflicts: the old name of conflictingLabels, for one release (docs/contract.md §3.1)
    params: r.params, counts: { ...r.counts, labelConflicts: r.counts.conflictingLabels }, groups: r.groups,
    // effect.auc (P(human gap > agent gap)) stays for one release; aucGapPredictsAgent is the headline
    test: { ...t, pvalueText: formatPValue(t.pvalue, t.z), effect: { ...t.effect, aucGapPredictsAgent: gapAuc(t) } },
  };
}

function render(r: SeparabilityResult): string {
  const g = r.groups, t = r.test;
  const row = (name: string, d: typeof g.human) => [name, d.n, `${d.mean.toFixed(3)} ± ${d.std1.toFixed(3)}`, d.median, d.iqr, d.min, d.max];
  return `${renderTable(['group', 'n', 'gap mean ± sd', 'median', 'IQR', 'min', 'max'], [row('human', g.human), row('agent', g.agent)])}\n\n${renderKeyValues([
    ['AUC: gap predicts agent', gapAuc(t)], ['p', formatPValue(t.pvalue, t.z)],
    ['test', `Mann–Whitney ${t.method}, ${t.alternative}${t.continuity ? ', continuity-corrected' : ''}; U as scipy.stats.mannwhitneyu(human, agent)`],
    ['U (human)', t.statistic], ["U' (agent) = n1·n2 − U", t.statisticOther],
    ['P(human gap > agent gap) = U/(n1·n2)', t.effect.auc], ["rank-biserial (Cliff's δ)", t.effect.rankBiserial], ['Hodges–Lehmann shift', t.effect.hodgesLehmann],
    ['centroids', `${r.params.inSample ? 'in-sample (original study)' : 'leave-one-out'}, ${r.params.kernels}`],
    ['sessions scored', `${r.counts.scored} of ${r.counts.sessions} (${r.counts.tooShort} with < 2 events, ${r.counts.unlabelled} unlabelled)`],
  ])}`;
}

export function define(cmd: Command): void {
  kernelOptions(tableFormatOption(withGlobalOptions(cmd)))
    .argument('<events...>', 'events.parquet files, folders of them, or raw .jsonl/.json/.csv events (globs allowed; several are read as one table)')
    .option('--kernels <kernels.json>', 'score against stored kernels (their state, boundary and pooling are used)')
    .option('-o, --out <scores>', 'per-session scores: .parquet or .csv')
    .option('--in-sample', 'score against centroids that contain the session (reproduces the original study)')
    .option('--temperature <T>', 'agent probability f = σ(gap / T)', numberOption('--temperature', Number.MIN_VALUE), 1)
    .option('--alternative <h>', `Mann–Whitney alternative for human vs agent: ${ALTERNATIVES.join(', ')}`, choiceOption('--alternative', ALTERNATIVES), 'two-sided')
    .option('--method <m>', `p-value method: ${MANN_WHITNEY_METHODS.join(', ')}`, choiceOption('--method', MANN_WHITNEY_METHODS), 'auto')
    .option('--no-continuity', 'no continuity correction in the asymptotic p-value')
    .option('--permutations <n>', 'resamples for --method permutation', intOption('--permutations', 1), 9999)
    .option('-s, --seed <n>', 'random seed (permutation method)', intOption('--seed'), 42)
    .option('--fail-if-p-above <p>', 'exit 4 when the p-value is above this', numberOption('--fail-if-p-above', 0, 1))
    .option('--plot <dir>', 'write the gap-score strip/box plot here')
    .option('--order <k>', 'Markov order of the kernels fitted here and of the gap scores (1–3; docs/method.md §7)', intOption('--order', 1, 3), 1)
    .addHelpText('after', `
Examples:
  $ phantom separability events.parquet -o scores.parquet
  $ phantom separability events.parquet --kernels kernels.json --json
  $ phantom separability events.parquet --in-sample --pooling mean-of-rows --weighting uniform   # the original study
  $ phantom separability events.parquet --fail-if-p-above 0.01 --plot plots/`)
    .action(
      action('separability', async (inputs: string[], flags: SeparabilityFlags) => {
        await checkInputs(inputs, EVENTS_INPUT, 'separability needs');
        await checkInputs([flags.kernels], KERNELS_INPUT, '--kernels must be');
        await checkOutputs({ files: { '-o': flags.out }, dirs: { '--plot': flags.plot } });
        const stored = flags.kernels ? await readKernelsFile(flags.kernels) : undefined;
        if (stored) {
          for (const k of ['state', 'boundary', 'pooling', 'smoothing', 'weighting'] as const) {
            if (cmd.getOptionValueSource(k) === 'cli' && flags[k] !== stored.params[k]) {
              throw new UsageError(`--${k === 'boundary' ? 'no-boundary' : k} conflicts with ${flags.kernels} (fitted with ${k} ${String(stored.params[k])}); refit the kernels or drop the flag`);
            }
          }
        }
        const explicit = (k: 'smoothing' | 'weighting') => !stored || cmd.getOptionValueSource(k) === 'cli';
        const { table, flags: labels, rejected } = await labelledInput(inputs, flags);
        if (table.length === 0) refuseNoSessions(0, { rejected, events: 0 });
        const r = separability(table, labels, {
          params: {
            state: flags.state, boundary: flags.boundary, pooling: flags.pooling,
            ...(explicit('smoothing') ? { smoothing: flags.smoothing } : {}), ...(explicit('weighting') ? { weighting: flags.weighting } : {}),
          },
          inSample: flags.inSample ?? false, temperature: flags.temperature, kernels: stored,
          ...(flags.order > 1 ? { order: flags.order } : {}),
          test: { alternative: flags.alternative, method: flags.method, continuity: flags.continuity, permutations: flags.permutations, rng: createRng(flags.seed) },
        });
        if (r.counts.conflictingLabels > 0) warn(conflictingLabelsWarning(r.counts.conflictingLabels));
        if (r.counts.undefinedGap > 0) warn(`${r.counts.undefinedGap} sessions have no finite gap (with --smoothing 0 a centroid row can be empty)`);
        if (flags.out) await writeScores(flags.out, r);
        const plots = flags.plot ? await writeGapPlot(flags.plot, r) : [];
        if (plots.length > 0 && !plots.some((p) => p.endsWith('.png'))) warn('PNG figures need the optional package @resvg/resvg-js; wrote SVG only');
        if (flags.json) printJson({ ...separabilityJson(r), output: flags.out ?? null, plots });
        else process.stdout.write(`${render(r)}\n`);
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
        if (flags.failIfPAbove !== undefined && !(r.test.pvalue <= flags.failIfPAbove)) {
          throw new GateFailed(`p = ${pValueInMessage(r.test.pvalue, r.test.z)} is above --fail-if-p-above ${flags.failIfPAbove}: human and agent gap scores are not separable enough`);
        }
      }),
    );
}
