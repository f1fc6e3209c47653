/**
 * `phantom evaluate`: a classifier's metrics on labelled data (docs/classifier.md), with ROC, PR and calibration
 * figures. Works with phantom's models and with XGBoost JSON models trained elsewhere.
 */
import type { Command } from 'commander';
import { GateFailed, UsageError } from '../errors.js';
import {
  auditWarningLines, binaryMetrics, columnGroups, withRankingOf, confoundWarnings, importanceTable, metricsByGroup, modelMatrix, readClassifierModel, renderAudit, renderMetrics,
  writeEvaluationFigures, type BehaviourOnly, type ThresholdRule,
} from '../models/classifier/index.js';
import { binaryLabel, dataFingerprint, labelCounts, takeLabels, takeRows } from '../models/dataset/index.js';
import { calibrationReport, predictProbabilities, renderCalibrationReport } from '../models/calibration/index.js';
import { action, info, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { collectList, readInputTable, thresholdOption } from './train-classifier.js';
import { checkInputs, checkOutputs, MODEL_INPUT, refuseRepeatedSessions, SESSIONS_INPUT } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { tableFormatOption } from './table-format-option.js';

interface EvaluateFlags extends GlobalOptions {
  label?: string;
  threshold?: ThresholdRule;
  plot?: string;
  failUnderAuc?: number;
  groupBy?: string;
  recallBy: string[];
}

export function define(cmd: Command): void {
  tableFormatOption(withGlobalOptions(cmd))
    .argument('<model>', 'model.json (phantom train-classifier, or xgboost save_model JSON)')
    .argument('<sessions>', 'labelled sessions.parquet or .csv')
    .option('--label-column <name>', "label column (default: the model's label, else is_agent)")
    .addOption(legacyOption('--label <column>'))
    .option('--threshold <rule>', "a probability, youden or f1 (default: the model's threshold, else 0.5)", thresholdOption)
    .option('--plot <dir>', 'write roc, pr and calibration figures (SVG, and PNG) here')
    .option('--fail-under-auc <auc>', 'exit 4 when ROC-AUC is below this', numberOption('--fail-under-auc', 0, 1))
    .option('--group-by <column>', 'metrics within each value of this column (site, session_date, …)')
    .option('--recall-by <column>', 'recall per value of a pass-through column (e.g. kind) at the threshold (repeatable)', collectList, [])
    .addHelpText('after', `
Examples:
  $ phantom evaluate model.json holdout.parquet
  $ phantom evaluate model.json holdout.parquet --plot plots/ --threshold youden --json
  $ phantom evaluate xgb-model.json sessions.csv --label-column is_agent --fail-under-auc 0.9
  $ phantom evaluate model.json other-site.parquet --group-by session_date --recall-by kind`)
    .action(
      action('evaluate', async (modelPath: string, input: string, flags: EvaluateFlags) => {
        await checkInputs([modelPath], MODEL_INPUT, "evaluate's <model> must be");
        await checkInputs([input], SESSIONS_INPUT, "evaluate's <sessions> must be");
        await checkOutputs({ dirs: { '--plot': flags.plot } });
        const { model, meta } = await readClassifierModel(modelPath);
        const table = await readInputTable(input);
        refuseRepeatedSessions(table, input);
        const label = aliased<string | undefined>(cmd, 'labelColumn', 'label', '--label-column', '--label') ?? meta?.label ?? 'is_agent';
        const yAll = binaryLabel(table, label);
        const counts = labelCounts(yAll);
        if (counts.positives === 0 || counts.negatives === 0) {
          throw new UsageError(`evaluation needs both classes of '${label}'; ${input} has ${counts.positives} positive and ${counts.negatives} negative rows`);
        }
        if (counts.missing > 0) warn(`${counts.missing.toLocaleString('en-US')} rows have no '${label}' label and were left out`);
        const rows = Int32Array.from({ length: yAll.length }, (_, i) => i).filter((i) => yAll[i]! >= 0);
        const X = takeRows(modelMatrix(table, model, meta), rows);
        const y = takeLabels(yAll, rows);
        if (meta !== null && dataFingerprint(X, y).sha256 === meta.training.fingerprint.sha256) {
          warn("this is the model's own training data: these metrics are in-sample and optimistic (the held-out metrics are in the model's metadata)");
        }
        const { raw, probability: p, calibration: method } = predictProbabilities({ model, meta }, X);
        const rule = flags.threshold ?? meta?.threshold.value ?? 0.5;
        const metrics = withRankingOf(binaryMetrics(y, p, rule), y, raw);
        // the confound audit: warnings from the model's gain; the behaviour-only AUC of its training evaluation
        const warnings = confoundWarnings(importanceTable(model));
        const recorded = (meta as { confound?: { behaviourOnly?: (BehaviourOnly & { fullAuc: number }) | null } } | null)?.confound?.behaviourOnly ?? null;
        const grouped = flags.groupBy === undefined ? null : {
          column: flags.groupBy, ...((g) => ({ groups: g.names.length, perGroup: metricsByGroup(y, p, g, metrics.threshold.value) }))(columnGroups(table, flags.groupBy, rows, '--group-by')),
        };
        const recallBy = flags.recallBy.map((c) => ({ column: c, rows: metricsByGroup(y, p, columnGroups(table, c, rows, '--recall-by'), metrics.threshold.value) }));
        for (const line of auditWarningLines(warnings)) warn(line);
        const calibration = calibrationReport(y, raw, p, method);
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
        if (flags.failUnderAuc !== undefined && !(metrics.rocAuc >= flags.failUnderAuc)) {
          throw new GateFailed(`ROC-AUC ${metrics.rocAuc.toFixed(4)} is below --fail-under-auc ${flags.failUnderAuc}`);
        }
      }),
    );
}
