/**
 * The file source (`--from file`, docs/export.md): events.parquet, JSON-lines, JSON arrays (incl. console
 * envelopes) and CSV,
 * with globs, yielding batches of raw records whose provenance is (path, record index).
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { eventRecordFromCsv, readCsvRows } from '../io/csv.js';
import { readJsonArray, readJsonLines, sniffJsonKind, type JsonItem } from '../io/json-input.js';
import { readEventsParquet } from '../events/events-parquet.js';
import type { RawBatch } from './types.js';

export type FileKind = 'jsonl' | 'json' | 'csv' | 'parquet';

/** Expand globs and check every path is a file (the one implementation: io/input-paths.ts). */
export { expandFilePatterns as expandInputs } from '../io/input-paths.js';

/** Kind of an input file from its extension (`.json` is sniffed: array document or JSON-lines). */
export async function fileKind(path: string): Promise<FileKind> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return (await sniffJsonKind(path)) === 'array' ? 'json' : 'jsonl';
  if (ext === '.parquet') return 'parquet';
  throw new UsageError(`${path}: unsupported input type "${ext}" (use .parquet events, .jsonl, .json or .csv)`);
}

/** The rows of an events table (docs/contract.md §3) as flat raw records, so they go through the same stages. */
async function* parquetItems(path: string): AsyncGenerator<JsonItem> {
  const t = await readEventsParquet(path);
  const s = (c: { codes: Int32Array; dict: string[] }, i: number): string | null => (c.codes[i]! < 0 ? null : c.dict[c.codes[i]!]!);
  for (let i = 0; i < t.length; i++) {
    const text = t.metadata[i];
    const metadata = text != null ? (JSON.parse(text) as unknown)
      : Number.isFinite(t.price[i]!) || Number.isFinite(t.dwellMs[i]!) ? { ...(Number.isFinite(t.price[i]!) ? { price: t.price[i] } : {}), ...(Number.isFinite(t.dwellMs[i]!) ? { duration_ms: t.dwellMs[i] } : {}) } : null;
    yield {
      index: i,
      value: {
        sessionId: s(t.sessionId, i), experimentId: s(t.experimentId, i), eventName: s(t.eventName, i), ts: t.ts[i], page: s(t.page, i), productId: s(t.productId, i),
        storeMode: s(t.storeMode, i), userAgent: s(t.userAgent, i), metadata, ...(t.isAgent[i]! >= 0 ? { is_agent: t.isAgent[i] === 1 } : {}),
      },
    };
  }
}

async function* items(path: string, kind: FileKind): AsyncGenerator<JsonItem> {
  if (kind === 'parquet') yield* parquetItems(path);
  else if (kind === 'jsonl') yield* readJsonLines(path);
  else if (kind === 'json') yield* readJsonArray(path);
  else {
    let header: string[] | null = null;
    let index = 0;
    for await (const row of readCsvRows(path)) {
      if (header === null) {
        header = row;
        continue;
      }
      if (row.length === 1 && row[0] === '') continue;
      yield { index: index++, value: eventRecordFromCsv(header, row) };
    }
  }
}

/**
 * Read files as batches of raw records.
 * @example for await (const batch of readFiles(['data/*.jsonl'])) ...
 */
export async function* readFiles(paths: string[], batchSize = 10_000): AsyncGenerator<RawBatch> {
  for (const path of paths) {
    const kind = await fileKind(path);
    let batch: RawBatch = [];
    for await (const item of items(path, kind)) {
      batch.push({ value: item.value, provenance: { topic: path, partition: null, offset: item.index, timestamp: null } });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}
