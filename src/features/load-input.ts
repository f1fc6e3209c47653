/**
 * Inputs of `phantom features`: events Parquet files, partitioned folders of them, and the raw inputs of
 * `export --from file` (JSON-lines, JSON arrays, console envelopes, CSV) normalised on the fly.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { normalise, type RejectReason } from '../events/normalise.js';
import { EventsBuilder } from '../events/table.js';
import { expandInputs, readFiles } from '../sources/files.js';
import { UsageError } from '../errors.js';
import { fromEventsTable, type FeatureEvents } from './feature-events.js';
import { loadEventsParquet } from './load-parquet.js';

const INPUT_EXTENSIONS = new Set(['.parquet', '.jsonl', '.ndjson', '.json', '.csv']);

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue; // temp files, _SUCCESS markers
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && INPUT_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
}

/**
 * Files behind the given paths: a folder contributes its input files recursively (sorted; hidden and
 * `_`-prefixed names skipped), globs expand, plain paths must exist.
 * @example await expandFeatureInputs(['out/events/'])  // ['out/events/src_partition=0/part-0.parquet', …]
 */
export async function expandFeatureInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => null);
    if (s?.isDirectory()) {
      const files: string[] = [];
      await walk(p, files);
      if (files.length === 0) throw new UsageError(`${p}: folder holds no .parquet, .jsonl, .json or .csv file`);
      out.push(...files);
    } else out.push(...(await expandInputs([p])));
  }
  return out;
}

export interface RawLoadStats {
  records: number;
  rejected: Partial<Record<RejectReason, number>>;
  tsFromBroker: number;
}

/** Raw event files → events, through the same normaliser as `export` (rejected records are counted). */
async function loadRaw(path: string, baseFirst: boolean): Promise<{ events: FeatureEvents; raw: RawLoadStats }> {
  const builder = new EventsBuilder(65_536);
  const raw: RawLoadStats = { records: 0, rejected: {}, tsFromBroker: 0 };
  for await (const batch of readFiles([path])) {
    for (const record of batch) {
      raw.records++;
      const r = normalise(record);
      if (!r.ok) raw.rejected[r.reason] = (raw.rejected[r.reason] ?? 0) + 1;
      else {
        if (r.tsFromBroker) raw.tsFromBroker++;
        builder.append(r.row);
      }
    }
  }
  return { events: fromEventsTable(builder.flush(), baseFirst), raw };
}

/** True for inputs read as events Parquet. */
export function isParquetInput(path: string): boolean {
  return extname(path).toLowerCase() === '.parquet';
}

/**
 * Load one input file's feature columns (`baseFirst`: also the `original` set's base_price-first price).
 * @example const { events } = await loadFeatureInput('fixtures/events.jsonl', false)
 */
export async function loadFeatureInput(path: string, baseFirst: boolean): Promise<{ events: FeatureEvents; raw: RawLoadStats | null }> {
  if (isParquetInput(path)) return { events: await loadEventsParquet(path, { baseFirst }), raw: null };
  return loadRaw(path, baseFirst);
}
