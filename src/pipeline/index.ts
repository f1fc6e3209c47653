/**
 * `phantom pipeline` as a library (docs/pipeline.md): load a config, run every stage in one process, read the
 * gates and the summary.
 *
 * @example
 *   const { config } = await loadPipelineConfig('phantom.config.json', { failUnderAuc: 0.9 });
 *   const { result, summary } = await runPipeline(config, 'phantom.config.json');
 *   summary.headline.roc_auc.value; result.gates.filter((g) => !g.passed);
 */
export { pipelineConfigSchema, sourceSchema, type PipelineConfig, type PipelineConfigInput, type SourceConfig, type LabelsConfig } from './config-schema.js';
export { loadPipelineConfig, redactConfig, displayPath, BUNDLED_FIXTURES, DEFAULT_CONFIG_FILE, type ConfigOverrides, type LoadedConfig } from './load-config.js';
export { runPipeline, STAGES, type StageName, type PipelineHooks, type PipelineResult } from './run-pipeline.js';
export { evaluateGates, type GateName, type GateResult, type GateInputs } from './gates.js';
export { pipelineSummary, summaryJson, SUMMARY_FORMAT, SUMMARY_VERSION, type PipelineSummary, type HeadlineNumber } from './summary.js';
export { eventMix, type EventMix } from './event-mix.js';
export { exportStage, sourceSpec, type ExportStageResult } from './export-stage.js';
export { featuresStage, type FeaturesStageResult } from './features-stage.js';
export { kernelsStage, kernelParams, type KernelsStageResult } from './kernels-stage.js';
export { classifierStage, type ClassifierStageResult } from './classifier-stage.js';
export { distillStage, type DistillStageResult } from './distill-stage.js';
