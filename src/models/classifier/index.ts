/**
 * The agent classifier of docs/classifier.md over the gbdt booster: cross-validation without leakage (early
 * stopping on a slice of each training fold), metrics, threshold choice, importance, the leakage audit,
 * the model file with phantom's metadata, and scoring tables with phantom's or xgboost's models.
 *
 * @example
 *   const d = trainingData(await readDataTable('sessions.parquet'), { label: 'is_agent' });
 *   const r = trainClassifier(d.X, d.y, { cv: 5, threshold: 'youden', rng: createRng(42) });
 *   r.evaluation?.metrics.rocAucCi; r.leakage.flagged; r.importance.slice(0, 5);
 */
export { trainClassifier, type ClassifierOptions, type ClassifierResult, type Evaluation } from './train-classifier.js';
export { planFolds, holdoutPlan, stratifiedSplit, repeatsFor, MAX_LEAVE_ONE_OUT_ROWS, type Fold, type FoldPlan, type CvScheme } from './folds.js';
export { crossValidate, type CrossValidation, type FitProgress } from './cross-validate.js';
export { fitWithValidation, runFoldJob, DEFAULT_VALIDATION_FRACTION, type FoldFit, type FoldJob, type FoldOutcome } from './fold-job.js';
export { runFoldJobs, foldWorkersAvailable } from './fold-pool.js';
export { binaryMetrics, chooseThreshold, parseThresholdRule, TARGET_RECALL, withRankingOf, type BinaryMetrics, type ThresholdRule } from './metrics.js';
export { leakageAudit, LEAKAGE_THRESHOLD, type LeakageAudit, type FeatureSeparation } from './leakage.js';
export { importanceTable, type ImportanceRow } from './importance-table.js';
export { classifierMeta, readClassifierMeta, CLASSIFIER_META_FORMAT, CLASSIFIER_META_VERSION, type ClassifierMeta, type MetaContext } from './model-meta.js';
export { modelMatrix } from './model-matrix.js';
export { readClassifierModel, parseClassifierModel, writeClassifierModel, phantomVersion, type ClassifierModel } from './model-file.js';
export { renderMetrics, renderImportance, renderLeakage, leakageWarnings } from './render.js';
export { evaluationSvgs, writeEvaluationFigures } from './figures.js';
export { writeScoresFile, type Scores } from './scores-file.js';
export { confoundWarnings, behaviourOnlyAuc, dropColumns, DOMINANT_GAIN_SHARE, CONTEXT_TOP, type AuditWarning, type BehaviourOnly, type EvaluationRecipe } from './confound-audit.js';
export { planGroupFolds, leaveOneGroupOutPlan, rowGroups, MAX_LOGO_GROUPS, type RowGroups } from './group-folds.js';
export { metricsByGroup, leaveOneGroupOut, type GroupMetrics, type LeaveOneGroupOut } from './group-metrics.js';
export { auditClassifier, columnGroups, withBreakdownExcluded, type ClassifierAudit, type GroupedEvaluation } from './audit-run.js';
export { renderAudit, auditWarningLines, renderGroupMetrics } from './render-audit.js';
