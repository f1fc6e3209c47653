/**
 * `phantom train-classifier`: gradient-boosted agent classifier (docs/classifier.md). Cross-validated metrics
 * without leakage, threshold choice, importance, the leakage audit, and an XGBoost JSON model file with
 * phantom's metadata. The work is src/models/classifier; this file parses flags and renders.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { GateFailed, UsageError } from '../errors.js';
import {
  auditWarningLines, leakageWarnings, renderAudit, parseThresholdRule, renderImportance, renderLeakage, renderMetrics, writeClassifierModel, type ClassifierResult, type ThresholdRule,
} from '../models/classifier/index.js';
import {
  belowAucGate, checkTrainOptions, runTrainClassifier, trainedModelFile, TRAIN_CLASSIFIER_DEFAULTS as D, type TrainClassifierOptions,
} from '../models/classifier/run-train.js';
import { readDataTable, type DataTable } from '../models/dataset/index.js';
import { renderCalibrationReport } from '../models/calibration/index.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues } from '../report/table.js';
import { action, info, intOption, numberOption, printJson, warn, withGlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, refuseRepeatedSessions, SESSIONS_INPUT } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { parseArgv } from './parse-argv.js';
import { tableFormatOption } from './table-format-option.js';

/** What one `phantom train-classifier …` asks for: the library options plus where and how to render. */
export interface TrainClassifierArgs {
  input: string;
  out: string;
  json: boolean;
  quiet: boolean;
  options: TrainClassifierOptions;
}

/** `--exclude a,b --exclude c` → ['a', 'b', 'c']. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([A-Za-z_]+)=(.+)$/.exec(value.trim());
  if (m === null) throw new InvalidArgumentError(`--param takes key=value (xgboost names, e.g. max_depth=4), got "${value}"`);
  return { ...previous, [m[1]!]: m[2]! };
}

/** --threshold parser shared with evaluate/predict. */
export function thresholdOption(value: string): ThresholdRule {
  try { return parseThresholdRule(value); } catch (err) { throw new InvalidArgumentError((err as Error).message); }
}

/** Read the input table, warning about columns of unusable types. */
export async function readInputTable(path: string): Promise<DataTable> {
  const t = await readDataTable(path);
  if (t.skipped.length > 0) warn(`${path}: columns of types the models cannot use were ignored: ${t.skipped.join(', ')}`);
  return t;
}

function basisOf(r: ClassifierResult): string {
  const e = r.evaluation!;
  if (e.scheme === 'holdout') return `holdout (${e.testSize} of rows)`;
  if (e.scheme === 'leave-one-out') return 'leave-one-out, out-of-fold';
  if (e.scheme === 'stratified-group-k-fold') return `${e.k}-fold stratified group CV (no group on both sides), out-of-fold`;
  return `${e.k}-fold stratified CV${e.repeats > 1 ? ` × ${e.repeats} repeats (probabilities averaged)` : ''}, out-of-fold`;
}

/** The flags of `train-classifier`, defaults from TRAIN_CLASSIFIER_DEFAULTS. */
export function declareTrainClassifier(cmd: Command): Command {
  return tableFormatOption(withGlobalOptions(cmd))
    .argument('<sessions>', 'sessions.parquet or .csv: one row per session, a label column, feature columns')
    .requiredOption('-o, --out <model.json>', 'model file (XGBoost JSON, loadable by xgboost.Booster)')
    .option('--label-column <name>', 'binary label column (0/1 or true/false)', D.labelColumn)
    .addOption(legacyOption('--label <column>'))
    .option('--exclude <columns>', 'columns not to use as features (comma-separated, repeatable)', collectList, D.exclude)
    .option('--cv <k>', 'stratified k-fold cross-validation; 0 = fit on all rows, no evaluation', intOption('--cv', 0, 1000), D.cv)
    .option('--test-size <share>', 'evaluate on a stratified holdout of this share instead of CV', numberOption('--test-size', 0, 1))
    .option('-s, --seed <n>', 'random seed (folds, validation splits, sampling)', intOption('--seed'), D.seed)
    .option('--param <key=value>', 'booster parameter by its xgboost name (repeatable), e.g. max_depth=4', collectParam, D.params)
    .option('--threshold <rule>', 'decision threshold: a probability, youden or f1 (chosen on held-out predictions)', thresholdOption, D.threshold)
    .option('--fail-under-auc <auc>', 'exit 4 when the evaluated ROC-AUC is below this', numberOption('--fail-under-auc', 0, 1))
    .option('--group-by <column>', 'evaluate across groups (site, session_date, …): stratified group k-fold, per-group metrics, leave-one-group-out table')
    .option('--recall-by <column>', 'recall per value of a pass-through column (e.g. kind) at the chosen threshold (repeatable)', collectList, D.recallBy)
    .option('-w, --workers <n>', 'threads for the cross-validation fits and the final fit\'s histograms (the results do not depend on it)', intOption('--workers', 1, 256), D.workers)
    .addHelpText('after', `
Examples:
  $ phantom train-classifier sessions.parquet -o model.json
  $ phantom train-classifier sessions.parquet -o model.json --exclude is_headless,is_automation --threshold youden
  $ phantom train-classifier sessions.csv -o buy.json --label-column purchased --exclude purchases,conversion_rate --test-size 0.2 --param max_depth=4 --param eta=0.1   # a purchase model for distill --purchase-model
  $ phantom train-classifier sessions.parquet -o model.json --fail-under-auc 0.9 --json > metrics.json
  $ phantom train-classifier sessions.parquet -o model.json --group-by session_date --recall-by kind   # kind: a column of export --labels (docs/classifier.md)`);
}

/** Parsed flags → library options; refuses inconsistent flags (UsageError) before any file is touched. */
export function trainClassifierArgs(cmd: Command, input: string): TrainClassifierArgs {
  const f = cmd.opts<{ out: string; exclude: string[]; cv: number; testSize?: number; seed: number; param: Record<string, string>; threshold: ThresholdRule; failUnderAuc?: number; workers: number; groupBy?: string; recallBy: string[]; json?: boolean; quiet?: boolean }>();
  const labelColumn = aliased<string>(cmd, 'labelColumn', 'label', '--label-column', '--label');
  if (f.testSize !== undefined && cmd.getOptionValueSource('cv') === 'cli') throw new UsageError('--cv and --test-size are alternatives: give one');
  const options: TrainClassifierOptions = {
    labelColumn, exclude: f.exclude, cv: f.cv, testSize: f.testSize ?? null, seed: f.seed, params: f.param, threshold: f.threshold,
    groupBy: f.groupBy ?? null, recallBy: f.recallBy, workers: f.workers, failUnderAuc: f.failUnderAuc ?? null, source: input,
  };
  checkTrainOptions(options);
  return { input, out: f.out, json: f.json === true, quiet: f.quiet === true, options };
}

/** `phantom train-classifier` argv (after the command name) → its options, without running it. */
export function parseTrainClassifierArgs(argv: readonly string[]): TrainClassifierArgs {
  return parseArgv('train-classifier', declareTrainClassifier, trainClassifierArgs, argv);
}

export function define(cmd: Command): void {
  declareTrainClassifier(cmd).action(
    action('train-classifier', async (input: string) => {
      const a = trainClassifierArgs(cmd, input);
      const o = a.options;
      await checkInputs([input], SESSIONS_INPUT, 'train-classifier needs');
      await checkOutputs({ files: { '-o': a.out } });
      const table = await readInputTable(input);
      refuseRepeatedSessions(table, input);
      const progress = createProgress({ quiet: a.quiet || a.json });
      const run = await runTrainClassifier(table, { ...o, onWarning: warn, onStage: (s) => progress.update(s) });
      progress.done();
      const { data, result, audit, meta, exclude } = run;
      await writeClassifierModel(a.out, trainedModelFile(run));
      for (const line of leakageWarnings(result.leakage)) warn(line);
      for (const line of auditWarningLines(audit.warnings)) warn(line);
      const e = result.evaluation;
      if (a.json) {
        printJson({
          warnings: audit.warnings, model: a.out, label: o.labelColumn, data: meta.training, features: data.X.featureNames, excluded: exclude,
          params: result.params, rounds: result.rounds, threshold: result.threshold,
          evaluation: e === null ? null : { ...meta.evaluation, fits: e.fits }, importance: result.importance.slice(0, 20), leakage: result.leakage,
          calibration: meta.calibration ?? null,
          behaviourOnly: audit.behaviourOnly, grouped: audit.grouped, recallBy: audit.recallBy,
        });
      } else {
        const out: string[] = [...(audit.warnings.length > 0 ? [auditWarningLines(audit.warnings).join('\n')] : []), renderKeyValues([
          ['rows', `${data.X.nRows.toLocaleString('en-US')} (${data.fingerprint.positives.toLocaleString('en-US')} with ${o.labelColumn} = 1)`],
          ['features', data.X.nCols], ['trees in the model', `${result.rounds.final} (${result.rounds.chosenBy})`],
          ['model', a.out],
        ])];
        out.push(e === null ? 'no evaluation (--cv 0): the model is fitted on all rows, its probabilities are not calibrated' : renderMetrics(e.metrics, basisOf(result)));
        const c = result.calibration;
        if (c !== null) out.push(`${renderCalibrationReport(c, 'calibration, out of fold')}\nchosen: ${c.method}, by ${c.chosenBy}; stored in ${a.out}`);
        out.push(`feature importance (top 20 by gain)\n${renderImportance(result.importance.slice(0, 20))}`);
        out.push(`leakage audit (single-feature AUC; flagged at >= ${result.leakage.threshold})\n${renderLeakage(result.leakage)}`);
        if (e !== null) out.push(renderAudit(audit));
        process.stdout.write(`${out.join('\n\n')}\n`);
      }
      info(a, `wrote ${a.out}`);
      const gate = belowAucGate(e === null ? null : e.metrics.rocAuc, o.failUnderAuc);
      if (gate !== null) throw new GateFailed(gate);
    }),
  );
}
