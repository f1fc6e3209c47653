/**
 * Inputs of `phantom features`: events Parquet files, partitioned folders of them, and the raw inputs of
 * `export --from file` (JSON-lines, JSON arrays, console envelopes, CSV) normalised on the fly. Arguments
 * are expanded and raw files loaded by the one events loader (io/input-paths.ts, sources/event-files.ts);
 * Parquet goes through features' own column decoder (load-parquet.ts), one file at a time.
 */
import { isParquetInput, loadRawEvents, type RawLoadStats } from '../sources/event-files.js';
import { fromEventsTable, type FeatureEvents } from './feature-events.js';
import { loadEventsParquet } from './load-parquet.js';

/** Files behind the arguments (folders, globs, files): the one expansion of io/input-paths.ts. */
export { expandEventInputs as expandFeatureInputs } from '../io/input-paths.js';
export type { RawLoadStats } from '../sources/event-files.js';

/**
 * Load one input file's feature columns (`baseFirst`: also the `original` set's base_price-first price).
 * `alone`: the events are indexed by themselves, never concatenated with another file's, so an all-null
 * src_offset may come back as zeros (loadEventsParquet's `offsetsForOrder`: the same order, less memory).
 * @example const { events } = await loadFeatureInput('fixtures/events.jsonl', false)
 */
export async function loadFeatureInput(path: string, baseFirst: boolean, alone = false): Promise<{ events: FeatureEvents; raw: RawLoadStats | null }> {
  if (isParquetInput(path)) return { events: await loadEventsParquet(path, { baseFirst, offsetsForOrder: alone }), raw: null };
  const { table, raw } = await loadRawEvents(path);
  return { events: fromEventsTable(table, baseFirst), raw };
}
