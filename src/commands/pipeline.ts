/**
 * `phantom pipeline`: export → features → kernels → separability → train-classifier → distill → report
 * in one process, on one config, with quality gates for CI (docs/pipeline.md). The work is src/pipeline; this
 * file parses flags, shows progress per stage and renders the headline numbers.
 */
import type { Command } from 'commander';
import { DataError, GateFailed } from '../errors.js';
import { loadPipelineConfig, redactConfig, runPipeline, STAGES, summaryJson, type ConfigOverrides, type PipelineSummary } from '../pipeline/index.js';
import { createProgress, type Progress } from '../report/progress.js';
import { fmt, renderKeyValues } from '../report/table.js';
import { action, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

interface PipelineFlags extends GlobalOptions {
  config?: string;
  out?: string;
  printConfig?: boolean;
  seed?: number;
  failIfPAbove?: number;
  failUnderAuc?: number;
  failIfLeakage?: boolean;
}

/** What one `phantom pipeline …` asks for: the config file, the overrides the flags make to it, and how to render. */
export interface PipelineArgs {
  /** --config; null = ./phantom.config.json if present, else the bundled fixtures */
  configFile: string | null;
  overrides: ConfigOverrides;
  printConfig: boolean;
  json: boolean;
  quiet: boolean;
}

function headlineTable(s: PipelineSummary): string {
  const h = s.headline, v = (k: string) => fmt(h[k]?.value ?? null);
  return renderKeyValues([
    ['sessions', `${v('sessions')} (${fmt(h.sessions?.human as number)} human, ${fmt(h.sessions?.agent as number)} agent)`],
    ['KL(H‖A) / KL(A‖H) / JS', `${v('kl_human_agent')} / ${v('kl_agent_human')} / ${v('js_divergence')} (split-half null p ${fmt(h.kl_human_agent?.null_p as number)})`],
    ['separability p (Mann–Whitney)', `${(h.separability_gap_auc?.p_text as string | undefined) ?? v('separability_p')} (AUC of the gap predicting agent ${v('separability_gap_auc')})`],
    ['classifier ROC-AUC', `${v('roc_auc')} (95% CI ${fmt(h.roc_auc?.ci_lower as number)}–${fmt(h.roc_auc?.ci_upper as number)})`],
    ['PR-AUC / precision at 80% recall', `${v('pr_auc')} / ${v('precision_at_80_recall')}`],
    ['calibration error (ECE, out of fold)', `${v('calibration_ece')} (raw booster ${fmt((h.calibration_ece?.before as number | null) ?? null)}; ${String((h.calibration_ece?.params as { method?: string } | undefined)?.method ?? 'none')})`],
    ['leakage flagged', (h.leakage_flagged?.features as string[] | undefined)?.join(', ') || 'none'],
    ['pricing rules', `${v('rules_leaves')} (held-out R² ${v('rules_fidelity_r2')})`],
    ['quality gates', s.gates.results.length === 0 ? 'none set' : s.gates.passed ? 'passed' : 'FAILED'],
  ]);
}

/** The flags of `pipeline`: each overrides the config (whose defaults are the pipeline config schema's). */
export function declarePipeline(cmd: Command): Command {
  return tableFormatOption(withGlobalOptions(cmd))
    .option('-c, --config <file>', 'pipeline config (JSON); default: ./phantom.config.json if present, else the bundled fixtures')
    .option('-o, --out <dir>', 'output folder for every artefact (overrides the config; default phantom-out)')
    .option('--print-config', 'print the effective config (defaults filled, secrets masked) and exit')
    .option('-s, --seed <n>', 'seed of every stage whose config sets none (overrides the config)', intOption('--seed'))
    .option('--fail-if-p-above <p>', 'exit 4 when the separability p-value is above this', numberOption('--fail-if-p-above', 0, 1))
    .option('--fail-under-auc <auc>', "exit 4 when the classifier's evaluated ROC-AUC is below this", numberOption('--fail-under-auc', 0, 1))
    .option('--fail-if-leakage', 'exit 4 when the leakage audit flags a feature')
    .addHelpText('after', `
Examples:
  $ phantom pipeline                                   # the bundled fixtures → phantom-out/report.html
  $ phantom pipeline --config phantom.config.json --out results/
  $ phantom pipeline --fail-if-p-above 0.01 --fail-under-auc 0.9 --fail-if-leakage   # a CI step: exit 4 on failure
  $ phantom pipeline --config phantom.config.json --print-config
  $ phantom pipeline --json > summary.json

Artefacts: events.parquet, sessions.parquet, kernels.json, separability.json, scores.parquet, model.json,
metrics.json, rules.json, rules.txt, summary.json, report.html (+ price-logs.parquet, events.dead-letter.jsonl).`);
}

/** Parsed flags → the config overrides (only the flags given). */
export function pipelineArgs(cmd: Command): PipelineArgs {
  const flags = cmd.opts<PipelineFlags>();
  const overrides: ConfigOverrides = {
    ...(flags.out !== undefined ? { out: flags.out } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.failIfPAbove !== undefined ? { failIfPAbove: flags.failIfPAbove } : {}), ...(flags.failUnderAuc !== undefined ? { failUnderAuc: flags.failUnderAuc } : {}),
    ...(flags.failIfLeakage ? { failIfLeakage: true } : {}),
  };
  return { configFile: flags.config ?? null, overrides, printConfig: flags.printConfig === true, json: flags.json === true, quiet: flags.quiet === true };
}

/** `phantom pipeline` argv (after the command name) → the config file and its overrides, without running it. */
export function parsePipelineArgs(argv: readonly string[]): PipelineArgs {
  return parseArgv('pipeline', declarePipeline, pipelineArgs, argv);
}

export function define(cmd: Command): void {
  declarePipeline(cmd)
    .action(
      action('pipeline', async () => {
        const flags = pipelineArgs(cmd);
        const { config, file } = await loadPipelineConfig(flags.configFile, flags.overrides);
        if (flags.printConfig) return printJson(redactConfig(config));
        info(flags, `config: ${file ?? 'none (the bundled fixtures)'}; output: ${config.out}/`);
        let progress: Progress | null = null;
        const { result, summary } = await runPipeline(config, file, {
          onStageStart: (stage, i, total) => {
            progress = createProgress({ quiet: flags.quiet });
            if (!process.stderr.isTTY) info(flags, `[${i}/${total}] ${stage} …`);
            progress.update(`[${i}/${total}] ${stage} …`);
          },
          onStep: (text) => progress?.update(text),
          onStageDone: (stage, seconds, detail) => {
            progress?.done(`[${STAGES.indexOf(stage) + 1}/${STAGES.length}] ${stage}: ${detail} (${seconds.toFixed(1)} s)`);
            progress = null;
          },
          onWarning: warn,
          onNote: (m) => info(flags, m),
        });
        if (flags.json) printJson(summaryJson(summary)); // camelCase, snake_case kept one release (docs/contract.md)
        else process.stdout.write(`${headlineTable(summary)}\nreport: ${result.paths.report}\n`);
        info(flags, `done in ${result.seconds.toFixed(1)} s; report: ${result.paths.report}`);
        const failed = result.gates.filter((g) => !g.passed);
        const dead = result.export.summary.dead_lettered.total;
        if (config.export.strict && dead > 0) {
          for (const g of failed) process.stderr.write(`phantom pipeline: ${g.reason}\n`);
          throw new DataError(`export.strict: ${dead} record(s) rejected; see ${result.export.summary.dead_letter_file}`);
        }
        if (failed.length > 0) throw new GateFailed(failed.length === 1 ? failed[0]!.reason! : `${failed.length} quality gates failed:\n${failed.map((g) => `  ${g.reason}`).join('\n')}`);
      }),
    );
}
