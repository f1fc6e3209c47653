/**
 * `phantom train-classifier`: gradient-boosted agent classifier (docs/classifier.md). Cross-validated metrics
 * without leakage, threshold choice, importance, the leakage audit, and an XGBoost JSON model file with
 * phantom's metadata. The work is src/models/classifier; this file parses flags and renders.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { DataError, GateFailed, UsageError } from '../errors.js';
import {
  auditClassifier, auditWarningLines, classifierMeta, columnGroups, leakageWarnings, planGroupFolds, renderAudit, withBreakdownExcluded, parseThresholdRule, phantomVersion, renderImportance, renderLeakage, renderMetrics,
  trainClassifier, writeClassifierModel, type ClassifierResult, type ThresholdRule,
} from '../models/classifier/index.js';
import { readDataTable, trainingData, type DataTable } from '../models/dataset/index.js';
import { renderCalibrationReport } from '../models/calibration/index.js';
import { resolveParams } from '../models/gbdt/index.js';
import { createProgress } from '../report/progress.js';
import { renderKeyValues } from '../report/table.js';
import { createRng } from '../stats/rng.js';
import { action, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkOutputs, refuseRepeatedSessions, SESSIONS_INPUT } from './input-checks.js';
import { aliased, legacyOption } from './option-aliases.js';
import { tableFormatOption } from './table-format-option.js';

interface TrainFlags extends GlobalOptions {
  out: string;
  label: string;
  exclude: string[];
  cv: number;
  testSize?: number;
  seed: number;
  param: Record<string, string>;
  threshold: ThresholdRule;
  failUnderAuc?: number;
  workers: number;
  groupBy?: string;
  recallBy: string[];
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

export function define(cmd: Command): void {
  tableFormatOption(withGlobalOptions(cmd))
    .argument('<sessions>', 'sessions.parquet or .csv: one row per session, a label column, feature columns')
    .requiredOption('-o, --out <model.json>', 'model file (XGBoost JSON, loadable by xgboost.Booster)')
    .option('--label-column <name>', 'binary label column (0/1 or true/false)', 'is_agent')
    .addOption(legacyOption('--label <column>'))
    .option('--exclude <columns>', 'columns not to use as features (comma-separated, repeatable)', collectList, [])
    .option('--cv <k>', 'stratified k-fold cross-validation; 0 = fit on all rows, no evaluation', intOption('--cv', 0, 1000), 5)
    .option('--test-size <share>', 'evaluate on a stratified holdout of this share instead of CV', numberOption('--test-size', 0, 1))
    .option('-s, --seed <n>', 'random seed (folds, validation splits, sampling)', intOption('--seed'), 42)
    .option('--param <key=value>', 'booster parameter by its xgboost name (repeatable), e.g. max_depth=4', collectParam, {})
    .option('--threshold <rule>', 'decision threshold: a probability, youden or f1 (chosen on held-out predictions)', thresholdOption, 0.5)
    .option('--fail-under-auc <auc>', 'exit 4 when the evaluated ROC-AUC is below this', numberOption('--fail-under-auc', 0, 1))
    .option('--group-by <column>', 'evaluate across groups (site, session_date, …): stratified group k-fold, per-group metrics, leave-one-group-out table')
    .option('--recall-by <column>', 'recall per value of a pass-through column (e.g. kind) at the chosen threshold (repeatable)', collectList, [])
    .option('-w, --workers <n>', 'threads for the cross-validation fits and the final fit\'s histograms (the results do not depend on it)', intOption('--workers', 1, 256), availableParallelism())
    .addHelpText('after', `
Examples:
  $ phantom train-classifier sessions.parquet -o model.json
  $ phantom train-classifier sessions.parquet -o model.json --exclude is_headless,is_automation --threshold youden
  $ phantom train-classifier sessions.csv -o model.json --label-column purchased --test-size 0.2 --param max_depth=4 --param eta=0.1
  $ phantom train-classifier sessions.parquet -o model.json --fail-under-auc 0.9 --json > metrics.json
  $ phantom train-classifier sessions.parquet -o model.json --group-by site --recall-by kind`)
    .action(
      action('train-classifier', async (input: string, flags: TrainFlags) => {
        flags.label = aliased<string>(cmd, 'labelColumn', 'label', '--label-column', '--label');
        const cvGiven = cmd.getOptionValueSource('cv') === 'cli';
        if (flags.testSize !== undefined && cvGiven) throw new UsageError('--cv and --test-size are alternatives: give one');
        const evaluate = flags.testSize !== undefined || flags.cv > 0;
        if (flags.cv === 1) throw new UsageError('--cv 1 leaves nothing to train on: use --cv 0 (no evaluation) or k >= 2');
        if (flags.failUnderAuc !== undefined && !evaluate) throw new UsageError('--fail-under-auc needs an evaluation: drop --cv 0');
        resolveParams(flags.param); // bad parameters fail before the data is read
        if (flags.groupBy !== undefined && flags.testSize !== undefined) throw new UsageError('--group-by splits by group for cross-validation: drop --test-size');
        if ((flags.groupBy !== undefined || flags.recallBy.length > 0) && !evaluate) throw new UsageError(`${flags.groupBy !== undefined ? '--group-by' : '--recall-by'} needs an evaluation: drop --cv 0`);
        await checkInputs([input], SESSIONS_INPUT, 'train-classifier needs');
        await checkOutputs({ files: { '-o': flags.out } });
        const table = await readInputTable(input);
        refuseRepeatedSessions(table, input);
        const exclude = withBreakdownExcluded(flags.exclude, flags.groupBy, flags.recallBy, table);
        const data = trainingData(table, { label: flags.label, exclude });
        const groups = flags.groupBy === undefined ? null : { column: flags.groupBy, groups: columnGroups(table, flags.groupBy, data.rows, '--group-by') };
        const recallBy = flags.recallBy.map((c) => ({ column: c, groups: columnGroups(table, c, data.rows, '--recall-by') }));
        const foldPlan = groups === null ? undefined : (rng: Parameters<typeof planGroupFolds>[3]) => planGroupFolds(data.y, groups.groups.codes, flags.cv, rng);
        for (const note of data.notes) warn(note);
        if (data.X.nRows === 0) throw new DataError(`no sessions: ${input} has no rows with a '${flags.label}' label (${table.nRows.toLocaleString('en-US')} rows in all); nothing written`);
        if (data.unlabelled > 0) warn(`${data.unlabelled.toLocaleString('en-US')} rows have no '${flags.label}' label and were left out`);
        const progress = createProgress({ quiet: flags.quiet || flags.json });
        const result = await trainClassifier(data.X, data.y, {
          params: flags.param, cv: flags.testSize !== undefined ? undefined : flags.cv, testSize: flags.testSize, threshold: flags.threshold, workers: flags.workers, rng: createRng(flags.seed), foldPlan,
          onProgress: (p) => progress.update(p.stage === 'final' ? `final model: round ${p.round + 1}/${p.rounds}` : `evaluation fit ${p.fit}/${p.fits}: round ${p.round + 1}/${p.rounds}`),
        });
        progress.update('confound audit: behaviour-only evaluation');
        const audit = await auditClassifier(data.X, data.y, result, {
          recipe: { params: flags.param, cv: flags.cv, ...(flags.testSize !== undefined ? { testSize: flags.testSize } : {}), ...(foldPlan ? { foldPlan } : {}), seed: flags.seed, workers: flags.workers },
          groups, recallBy,
        });
        progress.done();
        const meta = classifierMeta(result, {
          phantomVersion: phantomVersion(), label: flags.label, encoding: data.encoding, excluded: exclude, seed: flags.seed,
          source: basename(input), sourceMetadata: table.metadata, fingerprint: data.fingerprint, unlabelled: data.unlabelled,
        });
        const confound = { warnings: audit.warnings, behaviourOnly: audit.behaviourOnly };
        // the audit rides along in the metadata (read back by evaluate); the meta schema passes unknown keys through
        await writeClassifierModel(flags.out, { model: result.model, meta: Object.assign({}, meta, { confound }) });
        for (const line of leakageWarnings(result.leakage)) warn(line);
        for (const line of auditWarningLines(audit.warnings)) warn(line);
        const e = result.evaluation;
        if (flags.json) {
          printJson({
            warnings: audit.warnings, model: flags.out, label: flags.label, data: meta.training, features: data.X.featureNames, excluded: exclude,
            params: result.params, rounds: result.rounds, threshold: result.threshold,
            evaluation: e === null ? null : { ...meta.evaluation, fits: e.fits }, importance: result.importance.slice(0, 20), leakage: result.leakage,
            calibration: meta.calibration ?? null,
            behaviourOnly: audit.behaviourOnly, grouped: audit.grouped, recallBy: audit.recallBy,
          });
        } else {
          const out: string[] = [...(audit.warnings.length > 0 ? [auditWarningLines(audit.warnings).join('\n')] : []), renderKeyValues([
            ['rows', `${data.X.nRows.toLocaleString('en-US')} (${data.fingerprint.positives.toLocaleString('en-US')} with ${flags.label} = 1)`],
            ['features', data.X.nCols], ['trees in the model', `${result.rounds.final} (${result.rounds.chosenBy})`],
            ['model', flags.out],
          ])];
          out.push(e === null ? 'no evaluation (--cv 0): the model is fitted on all rows, its probabilities are not calibrated' : renderMetrics(e.metrics, basisOf(result)));
          const c = result.calibration;
          if (c !== null) out.push(`${renderCalibrationReport(c, 'calibration, out of fold')}\nchosen: ${c.method}, by ${c.chosenBy}; stored in ${flags.out}`);
          out.push(`feature importance (top 20 by gain)\n${renderImportance(result.importance.slice(0, 20))}`);
          out.push(`leakage audit (single-feature AUC; flagged at >= ${result.leakage.threshold})\n${renderLeakage(result.leakage)}`);
          if (e !== null) out.push(renderAudit(audit));
          process.stdout.write(`${out.join('\n\n')}\n`);
        }
        info(flags, `wrote ${flags.out}`);
        if (flags.failUnderAuc !== undefined && e !== null && !(e.metrics.rocAuc >= flags.failUnderAuc)) {
          throw new GateFailed(`ROC-AUC ${e.metrics.rocAuc.toFixed(4)} is below --fail-under-auc ${flags.failUnderAuc}`);
        }
      }),
    );
}
