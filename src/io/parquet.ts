/**
 * Parquet ⇄ Arrow. Flat tables (sessions.parquet, scores, clusters, price logs) are written by phantom's own
 * encoder (parquet-flat-write.ts: page checksums, footer written once); other schemas stream through
 * parquet-wasm (docs/dependencies.md) into row groups, memory holding one batch at a time, and
 * `finalMetadata` is added by rewriting the footer. Every write lands atomically (temp + rename).
 * events.parquet is written without Arrow, by the direct encoder (parquet-encode.ts,
 * events/events-row-group.ts); `CompressionName` is shared by all writers. Reads go through parquet-wasm.
 */
import * as arrow from './arrow.js';
import * as pw from 'parquet-wasm/node';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { commitTemp, tempPathFor } from './atomic.js';
import { ensureDir } from './ensure-dir.js';
import { verifyPageChecksums } from './parquet-checksums.js';
import { guardParquet } from './parquet-guard.js';
import { flatColumns, writeFlatParquet } from './parquet-flat-write.js';
import { rewriteFooterMetadata } from './parquet-footer.js';
import type { CompressionName } from './compressions.js';

export { COMPRESSIONS, type CompressionName } from './compressions.js';

const CODEC: Record<CompressionName, pw.Compression> = {
  zstd: pw.Compression.ZSTD,
  snappy: pw.Compression.SNAPPY,
  gzip: pw.Compression.GZIP,
  none: pw.Compression.UNCOMPRESSED,
};

export interface ParquetWriteOptions {
  compression?: CompressionName;
  /** rows per row group (default 1,000,000; batches larger than this are split by the writer) */
  rowGroupSize?: number;
  /** key/value metadata known before writing */
  metadata?: Record<string, string>;
  /** key/value metadata computed after the last batch (e.g. counts), merged into the footer */
  finalMetadata?: () => Record<string, string>;
  /** columns written without dictionary encoding (mostly-distinct values: the dictionary is hashed for nothing) */
  plainColumns?: readonly string[];
}

/** Convert a JS arrow batch to parquet-wasm's in-WASM batch via the IPC stream format. */
function toWasmTable(batch: arrow.RecordBatch): pw.Table {
  return pw.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(batch), 'stream'));
}

function toWasmBatch(batch: arrow.RecordBatch): pw.RecordBatch {
  const table = toWasmTable(batch);
  try {
    const b = table.recordBatch(0);
    if (b === undefined) throw new Error('parquet-wasm returned no record batch');
    return b;
  } finally {
    // free the WASM-side table now: left to the JS garbage collector, WASM memory grew with the output
    table.free();
  }
}

let flatWriter = true;

/**
 * Whether `writeParquet` writes flat batches with phantom's encoder (default) or always through parquet-wasm
 * (tests compare the two writers' files).
 * @example useFlatWriter(false) // arrow-rs writes every file
 */
export function useFlatWriter(on: boolean): void {
  flatWriter = on;
}

/** The batches as one async stream with `first` (already taken from `rest`) in front. */
async function* prepend(first: arrow.RecordBatch, rest: Iterator<arrow.RecordBatch> | AsyncIterator<arrow.RecordBatch>): AsyncGenerator<arrow.RecordBatch> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Stream record batches to a Parquet file atomically. Returns the number of rows written and the SHA-256
 * of the file's bytes, hashed as they are written. Batches whose schema phantom's encoder handles
 * (parquet-flat-write.ts: flat Utf8, Dictionary<Int32, Utf8>, Int32, Int64, Float64, Bool, Timestamp(ms,
 * zone) columns) are written by it, with page checksums and a footer written once; anything else by
 * parquet-wasm, whose `finalMetadata` rewrites the footer (sha256 null then).
 * @example await writeParquet('events.parquet', batches(), { compression: 'zstd', metadata: { 'phantom.schema_version': '1' } })
 */
export async function writeParquet(path: string, batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>, opts: ParquetWriteOptions = {}): Promise<{ rows: number; sha256: string | null }> {
  const iterator = Symbol.asyncIterator in batches ? (batches as AsyncIterable<arrow.RecordBatch>)[Symbol.asyncIterator]() : (batches as Iterable<arrow.RecordBatch>)[Symbol.iterator]();
  const first = await iterator.next();
  if (first.done) return writeParquetWasm(path, iterator, opts);
  const columns = flatWriter ? flatColumns(first.value.schema, opts.plainColumns) : null;
  if (columns !== null) return writeFlatParquet(path, first.value.schema, columns, prepend(first.value, iterator), opts);
  return writeParquetWasm(path, prepend(first.value, iterator)[Symbol.asyncIterator](), opts);
}

/**
 * The parquet-wasm (arrow-rs) writer of `writeParquet`, for schemas phantom's encoder does not handle.
 * @example await writeParquetWasm('t.parquet', batches[Symbol.iterator](), {})
 */
export async function writeParquetWasm(path: string, iterator: Iterator<arrow.RecordBatch> | AsyncIterator<arrow.RecordBatch>, opts: ParquetWriteOptions = {}): Promise<{ rows: number; sha256: string | null }> {
  await ensureDir(dirname(path));
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(CODEC[opts.compression ?? 'zstd'])
    .setMaxRowGroupSize(opts.rowGroupSize ?? 1_000_000)
    .setCreatedBy('phantom')
    .setKeyValueMetadata(new Map(Object.entries(opts.metadata ?? { 'phantom.schema_version': '1' })));
  for (const c of opts.plainColumns ?? []) builder = builder.setColumnDictionaryEnabled(c, false);
  const props = builder.build();
  let rows = 0;
  let firstEmpty: arrow.RecordBatch | null = null;
  let inputError: unknown ;
  /** next batch with rows, or null at the end */
  const nextNonEmpty = async (): Promise<arrow.RecordBatch | null> => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return null;
      if (next.value.numRows > 0) return next.value;
      firstEmpty ??= next.value;
    }
  };
  const tmp = tempPathFor(path);
  const hash = createHash('sha256');
  try {
    let pending = await nextNonEmpty();
    if (pending === null) {
      if (firstEmpty === null) throw new Error(`nothing to write to ${path}: no batches and no schema`);
      // the stream writer fails on an empty stream: write the schema with one zero-row batch
      const bytes = pw.writeParquet(toWasmTable(firstEmpty), props);
      hash.update(bytes);
      await writeFile(tmp, bytes);
    } else {
      const source = new ReadableStream<pw.RecordBatch>({
        async pull(ctrl) {
          try {
            if (pending === null) pending = await nextNonEmpty();
            if (pending === null) {
              ctrl.close();
              return;
            }
            rows += pending.numRows;
            ctrl.enqueue(toWasmBatch(pending));
            pending = null;
          } catch (err) {
            inputError = err;
            ctrl.error(err);
          }
        },
      });
      const out = await pw.transformParquetStream(source, props);
      const hashed = new TransformStream<Uint8Array, Uint8Array>({ transform: (chunk, ctrl) => { hash.update(chunk); ctrl.enqueue(chunk); } });
      await out.pipeThrough(hashed).pipeTo(Writable.toWeb(createWriteStream(tmp)) as WritableStream<Uint8Array>);
      // the WASM writer may end the file cleanly when its input fails: never rename a partial file into place
      if (inputError !== undefined) throw inputError;
    }
    if (opts.finalMetadata) await rewriteFooterMetadata(tmp, opts.finalMetadata());
    await commitTemp(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { rows, sha256: opts.finalMetadata ? null : hash.digest('hex') };
}

/**
 * Read a whole Parquet file into an Arrow table; a missing or malformed file is a UsageError naming it.
 * @example const table = await readParquet('events.parquet')
 */
export async function readParquet(path: string, opts: { batchSize?: number; bytes?: Uint8Array } = {}): Promise<arrow.Table> {
  let bytes: Uint8Array;
  try {
    // `bytes`: the file's content, already read by the caller
    bytes = opts.bytes ?? new Uint8Array(await readFile(path));
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  // large batches: the reader's default (1,024 rows) makes decoding and dictionary remapping ~2.5× slower
  return guardParquet(path, () => {
    verifyPageChecksums(bytes); // parquet-wasm does not check them
    return arrow.tableFromIPC(pw.readParquet(bytes, { batchSize: opts.batchSize ?? 262_144 }).intoIPCStream());
  });
}

/** Key/value metadata of a Parquet file's footer, as a plain object. */
export async function readParquetMetadata(path: string): Promise<Record<string, string>> {
  const table = await readParquet(path);
  return Object.fromEntries(table.schema.metadata);
}
