/**
 * `phantom evaluate`: a classifier's metrics on labelled data (docs/classifier.md), with ROC, PR and calibration
 * figures. Works with phantom's models and with XGBoost JSON models trained elsewhere.
 */
import type { Command } from 'commander';
import { GateFailed } from '../errors.js';
import { auditWarningLines, readClassifierModel, renderAudit, renderMetrics, writeEvaluationFigures, type ThresholdRule } from '../models/classifier/index.js';
import { belowAucGate } from '../models/classifier/run-train.js';
import { EVALUATE_DEFAULTS as D, runEvaluate, type EvaluateOptions } from '../models/classifier/run-evaluate.js';
import { renderCalibrationReport } from '../models/calibration/index.js';
import { action, info, numberOption, printJson, warn, withGlobalOptions } from './runtime.js';
import { collectList, readInputTable, thresholdOption } from './train-classifier.js';
import { checkInputs, checkOutputs, MODEL_INPUT, refuseRepeatedSessions, SESSIONS_INPUT } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

/** What one `phantom evaluate …` asks for: the inputs, the library options, and where and how to render. */
export interface EvaluateArgs {
  model: string;
  input: string;
  plot: string | null;
  json: boolean;
  quiet: boolean;
  options: EvaluateOptions;
}

/** The flags of `evaluate`, defaults from EVALUATE_DEFAULTS. */
export function declareEvaluate(cmd: Command): Command {
  return tableFormatOption(withGlobalOptions(cmd))
    .argument('<model>', 'model.json (phantom train-classifier, or xgboost save_model JSON)')
    .argument('<sessions>', 'labelled sessions.parquet or .csv')
    .option('--label-column <name>', "label column (default: the model's label, else is_agent)")
    .addOption(legacyOption('--label <column>'))
    .option('--threshold <rule>', "a probability, youden or f1 (default: the model's threshold, else 0.5)", thresholdOption)
    .option('--plot <dir>', 'write roc, pr and calibration figures (SVG, and PNG) here')
    .option('--fail-under-auc <auc>', 'exit 4 when ROC-AUC is below this', numberOption('--fail-under-auc', 0, 1))
    .option('--group-by <column>', 'metrics within each value of this column (site, session_date, …)')
    .option('--recall-by <column>', 'recall per value of a pass-through column (e.g. kind) at the threshold (repeatable)', collectList, D.recallBy)
    .addHelpText('after', `
Examples:
  $ phantom evaluate model.json holdout.parquet
  $ phantom evaluate model.json holdout.parquet --plot plots/ --threshold youden --json
  $ phantom evaluate xgb-model.json sessions.csv --label-column is_agent --fail-under-auc 0.9
  $ phantom evaluate model.json other-site.parquet --group-by session_date --recall-by kind   # kind: a column of export --labels (docs/classifier.md)`);
}

/** Parsed flags → library options. */
export function evaluateArgs(cmd: Command, model: string, input: string): EvaluateArgs {
  const f = cmd.opts<{ threshold?: ThresholdRule; plot?: string; failUnderAuc?: number; groupBy?: string; recallBy: string[]; json?: boolean; quiet?: boolean }>();
  const labelColumn = aliased<string | undefined>(cmd, 'labelColumn', 'label', '--label-column', '--label');
  return {
    model, input, plot: f.plot ?? null, json: f.json === true, quiet: f.quiet === true,
    options: { labelColumn: labelColumn ?? null, threshold: f.threshold ?? null, groupBy: f.groupBy ?? null, recallBy: f.recallBy, failUnderAuc: f.failUnderAuc ?? null, source: input },
  };
}

/** `phantom evaluate` argv (after the command name) → its options, without running it. */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  return parseArgv('evaluate', declareEvaluate, evaluateArgs, argv);
}

export function define(cmd: Command): void {
  declareEvaluate(cmd)
    .action(
      action('evaluate', async (modelPath: string, input: string) => {
        await checkInputs([modelPath], MODEL_INPUT, "evaluate's <model> must be");
        await checkInputs([input], SESSIONS_INPUT, "evaluate's <sessions> must be");
        await checkOutputs({ dirs: { '--plot': cmd.opts<{ plot?: string }>().plot } });
        const classifier = await readClassifierModel(modelPath);
        const { meta } = classifier;
        const table = await readInputTable(input);
        refuseRepeatedSessions(table, input);
        const a = evaluateArgs(cmd, modelPath, input); // after reading, as before: an --label conflict is reported after bad inputs
        const flags = a;
        const { label, y, p, raw, method, metrics, calibration, warnings, recorded, grouped, recallBy } = runEvaluate(classifier, table, { ...a.options, onWarning: warn });
        for (const line of auditWarningLines(warnings)) warn(line);
        const plots = flags.plot ? await writeEvaluationFigures(flags.plot, y, p, metrics, method === 'none' ? undefined : raw) : [];
        if (plots.length > 0 && !plots.some((f) => f.endsWith('.png'))) warn('PNG figures need the optional package @resvg/resvg-js; wrote SVG only');
        const behaviourOnly = recorded === null ? null : { ...recorded, basis: 'the training evaluation (model metadata)' };
        if (flags.json) printJson({ warnings, model: modelPath, data: input, label, trainedBy: meta ? 'phantom' : 'elsewhere', metrics, calibration, plots, behaviourOnly, grouped, recallBy });
        else {
          const head = warnings.length > 0 ? `${auditWarningLines(warnings).join('\n')}\n\n` : '';
          const audit = renderAudit({ warnings, behaviourOnly: recorded, grouped: grouped && { ...grouped, leaveOneGroupOut: { rows: [], pooledAuc: null, skipped: 'a fixed model: train-classifier --group-by fits one per group' } }, recallBy });
          const note = recorded === null ? '\n\nbehaviour-only AUC: not recorded in this model (trained elsewhere or before the audit); train-classifier reports it' : '\n\n(behaviour-only AUC above: from the training evaluation)';
          process.stdout.write(`${head}${renderMetrics(metrics, `${input} (model ${modelPath})`)}\n\n${renderCalibrationReport(calibration)}${audit === '' ? '' : `\n\n${audit}`}${note}\n`);
        }
        if (plots.length > 0) info(flags, `figures: ${plots.join(', ')}`);
        const gate = belowAucGate(metrics.rocAuc, a.options.failUnderAuc);
        if (gate !== null) throw new GateFailed(gate);
      }),
    );
}
