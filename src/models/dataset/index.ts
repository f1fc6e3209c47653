/**
 * Tables → the dense matrices the learners take. Reads any sessions.parquet or CSV (phantom's, pandas',
 * DuckDB's), fits a feature encoding (numeric as is, categories one-hot) that models store and re-apply,
 * and fingerprints the training data.
 *
 * @example
 *   const table = await readDataTable('sessions.parquet');
 *   const { X, y, encoding, fingerprint } = trainingData(table, { label: 'is_agent', exclude: ['is_headless'] });
 *   const Xnew = encodeTable(await readDataTable('new.csv'), encoding);
 */
export { readDataTable, tableFromArrow, columnOf, type DataTable, type DataColumn } from './data-table.js';
export { readCsvTable } from './csv-table.js';
export { binaryLabel, labelCounts } from './labels.js';
export {
  fitEncoding, encodeTable, encodedNames, NEVER_FEATURES, DEFAULT_MAX_LEVELS,
  type FeatureEncoding, type EncodedColumn, type EncodingOptions,
} from './encoding.js';
export { dataFingerprint, type DataFingerprint } from './fingerprint.js';
export { takeRows, takeLabels } from './take-rows.js';
export { trainingData, type TrainingData } from './training-data.js';
