/**
 * The file source (SPEC §2 `--from file`): JSON-lines, JSON arrays (incl. console envelopes) and CSV,
 * with globs, yielding batches of raw records whose provenance is (path, record index).
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { eventRecordFromCsv, readCsvRows } from '../io/csv.js';
import { expandGlob } from '../io/glob.js';
import { readJsonArray, readJsonLines, sniffJsonKind, type JsonItem } from '../io/json-input.js';
import type { RawBatch } from './types.js';

export type FileKind = 'jsonl' | 'json' | 'csv';

/** Expand globs and check every path exists; the error names the pattern that matched nothing. */
export async function expandInputs(patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    if (/[*?[{]/.test(p)) {
      const matches = await expandGlob(p);
      if (matches.length === 0) throw new UsageError(`no file matches ${p}`);
      out.push(...matches);
    } else {
      try {
        const s = await stat(p);
        if (!s.isFile()) throw new UsageError(`${p} is not a file`);
      } catch (err) {
        if (err instanceof UsageError) throw err;
        throw new UsageError(`cannot read ${p}: no such file`);
      }
      out.push(p);
    }
  }
  return out;
}

/** Kind of an input file from its extension (`.json` is sniffed: array document or JSON-lines). */
export async function fileKind(path: string): Promise<FileKind> {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.json') return (await sniffJsonKind(path)) === 'array' ? 'json' : 'jsonl';
  throw new UsageError(`${path}: unsupported input type "${ext}" (use .jsonl, .json or .csv; Parquet inputs are read directly by the analysis commands)`);
}

async function* items(path: string, kind: FileKind): AsyncGenerator<JsonItem> {
  if (kind === 'jsonl') yield* readJsonLines(path);
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
