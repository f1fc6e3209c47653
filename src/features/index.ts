/**
 * Session features (docs/features.md): events → one row per session, vectorised over typed arrays.
 *
 * Producing: `featuresFromFiles(paths, opts, workers)` (what `phantom features` runs) or, for events
 * already in memory, `computeSessionFeatures(fromEventsTable(events, false), DEFAULT_FEATURE_OPTIONS)`;
 * `writeSessions(path, table, { format })` writes sessions.parquet / CSV / JSON.
 *
 * Consuming (train-classifier, evaluate, predict, distill, notebooks):
 * @example
 *   import { readSessionsParquet, featureMatrix } from './features/index.js';
 *   const t = await readSessionsParquet('sessions.parquet');
 *   t.columns['gap_cv'];            // Float64Array per numeric feature, NaN = null
 *   t.categories['browser_family']; // { codes: Int32Array, dict: string[] }
 *   t.isAgent; t.purchased;         // Int8Array labels, −1 = null
 *   const X = featureMatrix(t);     // { nRows, nCols, values (row-major Float64Array), featureNames }
 */
export { FEATURE_SETS, BROWSER_FAMILIES, ORIGINAL_COLUMNS, featureSpecs, featureSpec, type FeatureSetName, type FeatureSpec, type FeatureDtype, type FeatureGroup } from './registry.js';
export { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, type FeatureOptions, type FeatureRunStats } from './compute.js';
export { fromEventsTable, type FeatureEvents } from './feature-events.js';
export { featuresFromFiles, type FeaturesRunSummary } from './features-from-files.js';
export { expandFeatureInputs, loadFeatureInput } from './load-input.js';
export { loadEventsParquet } from './load-parquet.js';
export { loadExperimentLabels, applyLabels, type LabelOptions } from './labels.js';
export { loadPriceLogs, type PriceLogs } from './shown-prices.js';
export { type SessionTable, pickSessions } from './session-table.js';
export { writeSessions, OUTPUT_FORMATS, type OutputFormat } from './write-sessions.js';
export { readSessionsParquet } from './read-sessions.js';
export { featureMatrix, type DenseFeatureMatrix, type FeatureMatrixOptions } from './feature-matrix.js';
export { renderFeatureDocs } from './docs.js';
export { browserFamily } from './client.js';
