/**
 * The scores `phantom predict` writes, one row per input row: the identifier columns the input had
 * (sessionId, experimentId), the probability and the 0/1 decision at the model's threshold — as Parquet
 * (footer metadata: model, label, threshold) or CSV, atomically.
 */
import type * as arrow from '../../io/arrow.js';
import { commandLine } from '../../events/events-parquet.js';
import { boolData, float64Data, recordBatch, utf8FromCodes } from '../../io/arrow-vectors.js';
import { writeTable } from '../../io/table-file.js';
import type { DataColumn } from '../dataset/data-table.js';

export interface Scores {
  /** identifier columns copied from the input */
  ids: DataColumn[];
  probability: Float64Array;
  threshold: number;
  /** footer metadata (Parquet only) */
  metadata: Record<string, string>;
}

const BATCH = 262_144;

/**
 * Write scores to `.parquet` or `.csv` (by extension, src/io/table-file.ts; `predicted` is 0/1 in CSV).
 * @example await writeScoresFile('scores.parquet', { ids: [sessionIdColumn], probability: p, threshold: 0.5, metadata: {} });
 */
export async function writeScoresFile(path: string, s: Scores): Promise<void> {
  const n = s.probability.length;
  const predicted = Int8Array.from(s.probability, (p) => (p >= s.threshold ? 1 : 0));
  const metadata = new Map(Object.entries({ 'phantom.schema_version': '1', 'phantom.kind': 'scores', 'phantom.command': commandLine(), ...s.metadata }));
  const batches = function* () {
    for (let lo = 0; lo === 0 || lo < n; lo += BATCH) {
      const hi = Math.min(n, lo + BATCH);
      const cols: { name: string; nullable: boolean; data: arrow.Data }[] = s.ids.map((c) => ({
        name: c.name, nullable: true,
        data: c.kind === 'numeric' ? float64Data(c.values.slice(lo, hi)) : utf8FromCodes(c.codes.slice(lo, hi), c.dict),
      }));
      cols.push({ name: 'probability', nullable: false, data: float64Data(s.probability.slice(lo, hi)) });
      cols.push({ name: 'predicted', nullable: false, data: boolData(predicted.slice(lo, hi)) });
      yield recordBatch(cols, metadata);
    }
  };
  await writeTable(path, batches(), { metadata: Object.fromEntries(metadata), csvBooleans: ['0', '1'] });
}
