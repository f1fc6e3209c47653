/**
 * A table → what a learner fits on: the encoded matrix of the labelled rows, 0/1 labels, the encoding
 * to store in the model and the data fingerprint. Rows without a label are left out (and counted).
 */
import { UsageError } from '../../errors.js';
import type { FeatureMatrix } from '../gbdt/matrix.js';
import type { DataTable } from './data-table.js';
import { encodeTable, fitEncoding, type EncodingOptions, type FeatureEncoding } from './encoding.js';
import { dataFingerprint, type DataFingerprint } from './fingerprint.js';
import { binaryLabel, labelCounts } from './labels.js';
import { takeLabels, takeRows } from './take-rows.js';

export interface TrainingData {
  X: FeatureMatrix;
  y: Uint8Array;
  encoding: FeatureEncoding;
  fingerprint: DataFingerprint;
  /** rows of the table that were used (those with a label) */
  rows: Int32Array;
  /** rows left out for a null label */
  unlabelled: number;
  /** what the encoding decided that a user should know */
  notes: string[];
}

/**
 * Encode a table for training on `opts.label`.
 * @example const d = trainingData(await readDataTable('sessions.parquet'), { label: 'is_agent' });
 */
export function trainingData(t: DataTable, opts: EncodingOptions): TrainingData {
  const label = binaryLabel(t, opts.label);
  const counts = labelCounts(label);
  if (counts.positives === 0 || counts.negatives === 0) {
    throw new UsageError(`label '${opts.label}' needs both classes to train on; found ${counts.positives} positive and ${counts.negatives} negative rows`);
  }
  const labelled = new Int32Array(counts.positives + counts.negatives);
  for (let i = 0, k = 0; i < label.length; i++) if (label[i]! >= 0) labelled[k++] = i;
  const { encoding, notes } = fitEncoding(t, opts);
  const all = encodeTable(t, encoding);
  const X = counts.missing === 0 ? all : takeRows(all, labelled);
  const y = takeLabels(label, labelled);
  return { X, y, encoding, fingerprint: dataFingerprint(X, y), rows: labelled, unlabelled: counts.missing, notes };
}
