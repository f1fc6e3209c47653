/**
 * phantom as a library: every command is a thin shell over these functions, so a notebook or a service
 * can call them directly.
 *
 * @example
 *   import { mannWhitneyU, readEventsParquet } from 'phantom';
 *   const r = mannWhitneyU([1, 2, 3], [4, 5, 6], { alternative: 'less', method: 'exact' });
 */
export * from './stats/index.js';
export { CATEGORIES, CATEGORY_WEIGHTS, KNOWN_EVENTS, EVENTS_BY_CATEGORY, categoryOf, isUnknownEvent, type Category } from './events/vocabulary.js';
export { normalise, type EventRow, type NormaliseResult, type RejectReason } from './events/normalise.js';
export { rawEventSchema, consoleEnvelopeSchema, priceLogSchema } from './events/schema.js';
export { EventsBuilder, rowAt, sliceRows, type EventsTable, type DictColumn } from './events/table.js';
export { EventsParquetFileWriter, readEventsParquet, writeEventsParquet } from './events/events-parquet.js';
export { encodeEventsRowGroup, rowGroupParts, type EncodedRowGroup } from './events/events-row-group.js';
export { parquetCodec, type ParquetCodec } from './io/parquet-codecs.js';
export { parseIsoMs, parseTimestampMs } from './io/timestamp.js';
export { readFiles, expandInputs } from './sources/files.js';
export { readParquet, writeParquet } from './io/parquet.js';
export { generateDataset, generateToFile, type GenerateOptions } from './generate/generate.js';
export { loadProfile, parseProfile, compileKernel, type Profile } from './generate/profile.js';
export { UsageError, DataError, GateFailed, PhantomError } from './errors.js';
// access logs (docs/access-logs.md)
export { compileFormat, PRESETS, type CompiledFormat } from './access-log/format.js';
export { LineParser, type ParsedRequest } from './access-log/parse-line.js';
export { readAccessLogs } from './sources/access-log.js';
export { openAccessLogSource, type AccessLogSpec } from './export/access-log-source.js';
export { SessionLabels } from './events/session-labels.js';
export { generateAccessLog } from './generate/access-log.js';
export { REQUEST_COLUMNS, RESOURCE_KINDS, type ResourceKind } from './events/schema.js';
export * from './kernels/index.js';
export * from './models/cart/index.js';
export * from './models/gbdt/index.js';
export * from './sim/index.js';
export * as auction from './auction/index.js';
export * from './features/index.js';
export * from './distill/index.js';
export * from './serve/index.js';
export * from './pipeline/index.js';
export * from './clusters/index.js';
// one library call per command, its options and their defaults (docs/architecture.md, "One library call per command")
export { loadLabelledEvents } from './kernels/input.js';
export { runKernels, KERNELS_DEFAULTS, LABELLED_INPUT_DEFAULTS, type KernelsOptions, type KernelsRun, type LabelledTable } from './kernels/run-kernels.js';
export { runSeparability, SEPARABILITY_DEFAULTS, type SeparabilityRunOptions } from './kernels/run-separability.js';
export { runFeatures, FEATURES_DEFAULTS, type FeaturesOptions, type FeaturesRun } from './features/run-features.js';
export { runClusters, CLUSTERS_DEFAULTS, type ClustersOptions, type ClustersRun } from './clusters/run-clusters.js';
export { runTrainClassifier, TRAIN_CLASSIFIER_DEFAULTS, type TrainClassifierOptions, type TrainClassifierRun } from './models/classifier/run-train.js';
export { runEvaluate, EVALUATE_DEFAULTS, type EvaluateOptions, type EvaluateRun } from './models/classifier/run-evaluate.js';
export { runPredict, PREDICT_DEFAULTS, type PredictOptions, type PredictRun } from './models/classifier/run-predict.js';
export { runGenerate, GENERATE_DEFAULTS, type GenerateRunOptions, type GenerateRun } from './generate/run-generate.js';
export { runSimulate, SIMULATE_DEFAULTS, type SimulateOptions, type SimulateRun } from './sim/run-simulate.js';
export { runAuction, AUCTION_DEFAULTS, type AuctionOptions, type AuctionRun } from './auction/run-auction.js';
export { runExport } from './export/run-export.js';
export { EXPORT_DEFAULTS } from './export/export-defaults.js';
