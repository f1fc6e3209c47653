/**
 * events.parquet → FeatureEvents, reading only the columns features need, in record batches (a file
 * of any size stays under parquet-wasm's 4 GB WebAssembly heap), straight into preallocated typed arrays.
 * Strings are interned from their UTF-8 bytes (utf8-interner.ts): no JS string per row.
 */
import * as arrow from '../io/arrow.js';
import * as pw from 'parquet-wasm/node';
import { existsSync, openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { readFlags, readNumbers } from '../io/arrow-columns.js';
import { verifyFilePageChecksums } from '../io/parquet-checksums.js';
import { guardParquet, guardParquetStream, unreadableParquet } from '../io/parquet-guard.js';
import { workerScript } from '../worker-script.js';
import { baseFirstPrice, type FeatureEvents } from './feature-events.js';
import type { DecodeReply, DecodeRequest } from './parquet-decode-worker.js';
import type { RequestColumns } from './requests.js';
import { Utf8Interner } from './utf8-interner.js';

const STRING_COLUMNS = { sessionId: 'sessionId', experimentId: 'experimentId', eventName: 'eventName', page: 'page', productId: 'productId', userAgent: 'userAgent' } as const;
type StringKey = keyof typeof STRING_COLUMNS;
const REQUIRED = ['sessionId', 'eventName', 'ts'];
/** Request-level columns (docs/access-logs.md), read when the file has them; `user_agent` stands in for a missing userAgent. */
const OPTIONAL_STRING_COLUMNS = ['resource_kind', 'method', 'path', 'query', 'referrer', 'site', 'user_agent'] as const;
type OptionalStringKey = (typeof OPTIONAL_STRING_COLUMNS)[number];
const OPTIONAL_NUMBER_COLUMNS = ['status', 'bytes'] as const;
const MIN_BATCH_ROWS = 65_536;
const MAX_BATCH_ROWS = 1_048_576;
/**
 * From this many rows a file is read in batches of MIN_BATCH_ROWS whatever its row groups: the memory of
 * a batch, not its dictionaries, then matters. A batch of the generator's 248k-row groups is ~55 MB of
 * Arrow IPC, and the WebAssembly memory decoding it grows to ~235 MB (it never shrinks); at 65,536 rows
 * ~15 MB and ~120 MB. 10M events: −145 MB peak RSS for +0.6 s CPU (docs/perf/features-mem.md).
 */
const SMALL_BATCHES_FROM_ROWS = 4_000_000;

function nullTest(d: arrow.Data): ((i: number) => boolean) | null {
  if (d.nullCount === 0 || !d.nullBitmap || d.nullBitmap.length === 0) return null;
  const bits = d.nullBitmap, off = d.offset;
  return (i) => (bits[(off + i) >> 3]! & (1 << ((off + i) & 7))) === 0;
}

/** Intern one Arrow chunk of a string column into `out` from row `at`. */
function internChunk(d: arrow.Data, interner: Utf8Interner, out: Int32Array, at: number): void {
  const isNull = nullTest(d);
  if (arrow.DataType.isUtf8(d.type)) {
    const offs = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
    interner.internColumn(d.values as Uint8Array, offs, d.length, out, at, isNull);
  } else if (arrow.DataType.isDictionary(d.type)) {
    const local = d.dictionary!;
    const remap = new Int32Array(local.length);
    let k = 0;
    for (const part of local.data) {
      if (arrow.DataType.isUtf8(part.type)) {
        const offs = (part.valueOffsets as Int32Array).subarray(part.offset, part.offset + part.length + 1);
        interner.internColumn(part.values as Uint8Array, offs, part.length, remap, k, nullTest(part));
      } else {
        const v = arrow.makeVector(part);
        for (let j = 0; j < part.length; j++) remap[k + j] = interner.internString(String(v.get(j)));
      }
      k += part.length;
    }
    const keys = d.values as Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;
    if (isNull === null) for (let i = 0; i < d.length; i++) out[at + i] = remap[keys[i]!]!;
    else for (let i = 0; i < d.length; i++) out[at + i] = isNull(i) ? -1 : remap[keys[i]!]!;
  } else {
    const v = arrow.makeVector(d);
    for (let i = 0; i < d.length; i++) {
      const x: unknown = v.get(i);
      out[at + i] = x === null || x === undefined ? -1 : interner.internString(String(x));
    }
  }
}

/** For rows whose metadata mentions base_price, the base_price-first price (one byte search per chunk). */
function baseFirstChunk(d: arrow.Data, price: Float64Array, out: Float64Array, at: number): void {
  if (!arrow.DataType.isUtf8(d.type)) return;
  const offs = (d.valueOffsets as Int32Array).subarray(d.offset, d.offset + d.length + 1);
  const values = d.values as Uint8Array;
  const buf = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  let pos = buf.indexOf('base_price', offs[0]!);
  while (pos >= 0 && pos < offs[d.length]!) {
    let lo = 0, hi = d.length - 1; // the row whose [offs[r], offs[r+1]) holds pos
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offs[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    out[at + lo] = baseFirstPrice(buf.toString('utf8', offs[lo]!, offs[lo + 1]!), price[at + lo]!);
    pos = buf.indexOf('base_price', offs[lo + 1]!);
  }
}

/** Files with more rows than this are decoded on a worker thread, ahead of the reader. */
const READ_AHEAD_MIN_ROWS = 300_000;
/** Batches the decoding thread may run ahead. */
const READ_AHEAD_WINDOW = 2;

/** The compiled decode worker, null when it is not built (then batches are decoded in this thread). */
function decodeWorkerScript(): URL | null {
  const url = workerScript(import.meta.url, 'features/parquet-decode-worker.js');
  return existsSync(url) ? url : null;
}

/**
 * Arrow tables of a Parquet file's batches, decoded on a worker thread while the caller works on the
 * previous ones (decompression and page decoding are about half of `phantom features` on one thread).
 * The batches and their order are exactly those of reading in this thread.
 */
async function* decodeAhead(script: URL, req: DecodeRequest): AsyncGenerator<arrow.Table> {
  const worker = new Worker(script, { workerData: req });
  const queue: DecodeReply[] = [];
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  const wakeUp = (): void => {
    waiting?.();
    waiting = null;
  };
  worker.on('message', (m: DecodeReply) => {
    queue.push(m);
    wakeUp();
  });
  // a corrupt page makes parquet-wasm panic ("unreachable") outside any promise, which ends the thread
  worker.on('error', (err) => {
    failure = unreadableParquet(req.path, err);
    wakeUp();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && failure === null) failure = new Error(`Parquet decode thread exited with code ${code}`);
    wakeUp();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure !== null) throw failure;
        await new Promise<void>((resolve) => { waiting = resolve; });
      }
      const m = queue.shift()!;
      if ('done' in m) return;
      if ('error' in m) throw new UsageError(`${req.path} is not a readable Parquet file (decoding failed: ${m.error.slice(0, 200)})`);
      worker.postMessage(1); // a credit: the thread may decode one more batch
      yield arrow.tableFromIPC(m.ipc);
    }
  } finally {
    await worker.terminate();
  }
}

/** Decode on a worker thread: for files over 300k rows (`auto`), `always` or `never` (same batches either way). */
export type ReadAhead = 'auto' | 'always' | 'never';

/** A Parquet file opened for batch reads of some of its columns. */
export interface ParquetBatches {
  numRows: number;
  /** the requested columns the file has */
  columns: string[];
  batches: () => AsyncGenerator<arrow.Table>;
}

/**
 * Open a Parquet file and stream the wanted columns it has as Arrow tables of one row group (64k–1M rows) (a file of any
 * size stays under parquet-wasm's 4 GB heap). `required` columns missing → UsageError naming them. With
 * `decodeAll`, the file's other columns are decoded first (on the decode thread when there is one), in
 * small batches that never leave WebAssembly, so a corrupt page anywhere fails as reading the whole file would.
 * @example for await (const t of (await openParquetBatches('p.parquet', ['price'], [], 'price logs')).batches()) …
 */
export async function openParquetBatches(path: string, wanted: readonly string[], required: readonly string[], what: string, readAhead: ReadAhead = 'auto', decodeAll = false): Promise<ParquetBatches> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  const file = await guardParquet(path, async () => pw.ParquetFile.fromFile(await openAsBlob(path)));
  // parquet-wasm does not check page checksums: a damaged page is refused here instead of decoded
  await guardParquet(path, () => verifyFilePageChecksums(path));
  const schema = file.schema();
  // parquet-wasm's Schema.indexOf throws (not −1) for a field the file lacks
  const has = (c: string): boolean => {
    try {
      return schema.indexOf(c) >= 0;
    } catch {
      return false;
    }
  };
  const missing = required.filter((c) => !has(c));
  if (missing.length > 0) throw new UsageError(`${path} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}: not ${what}`);
  const columns = wanted.filter(has);
  const others = decodeAll ? arrow.tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name).filter((c) => !columns.includes(c)) : [];
  // one batch per row group where groups are not huge (a row group's dictionary is then interned once), except in big files
  const meta = file.metadata();
  let batchSize = MIN_BATCH_ROWS;
  const numRows = meta.fileMetadata().numRows();
  if (numRows < SMALL_BATCHES_FROM_ROWS) for (let g = 0; g < meta.numRowGroups(); g++) batchSize = Math.max(batchSize, Math.min(MAX_BATCH_ROWS, meta.rowGroup(g).numRows()));
  const script = readAhead === 'always' || (readAhead === 'auto' && numRows >= READ_AHEAD_MIN_ROWS) ? decodeWorkerScript() : null;
  async function* batches(): AsyncGenerator<arrow.Table> {
    if (script !== null) {
      // the decode thread checks the other columns too: its WebAssembly code is compiled once, there
      yield* decodeAhead(script, { path, columns, batchSize, window: READ_AHEAD_WINDOW, check: others, checkBatchSize: MIN_BATCH_ROWS });
      return;
    }
    if (others.length > 0) {
      const check = guardParquetStream(path, async () => (await file.stream({ columns: others, batchSize: MIN_BATCH_ROWS })) as unknown as AsyncIterable<pw.RecordBatch>);
      for await (const wasmBatch of check) wasmBatch.free();
    }
    const stream = guardParquetStream(path, async () => (await file.stream({ columns, batchSize })) as unknown as AsyncIterable<pw.RecordBatch>);
    for await (const wasmBatch of stream) yield arrow.tableFromIPC(wasmBatch.intoIPCStream());
  }
  return { numRows, columns, batches };
}

/**
 * Load the feature columns of an events Parquet file. Absent optional columns come back all-null, and so
 * do the `skip` columns (decoded, so a corrupt page in them still fails, but not kept: the kernels need
 * no price, dwell or user agent). With `offsetsForOrder`, the caller reads `srcOffset` only to order
 * events (session-index.ts): a file whose src_offset is absent or all null then gives all zeros — the
 * same order as all nulls, every offset being equal — in memory never written (80 MB at 10M events).
 * @example const events = await loadEventsParquet('events.parquet', { baseFirst: false })
 */
export async function loadEventsParquet(path: string, opts: { baseFirst: boolean; readAhead?: ReadAhead; skip?: readonly string[]; offsetsForOrder?: boolean }): Promise<FeatureEvents> {
  const wanted = [
    'sessionId', 'experimentId', 'ts', 'eventName', 'page', 'productId', 'price', 'dwellMs', 'userAgent', 'is_agent', 'src_offset',
    ...(opts.baseFirst ? ['metadata'] : []), ...OPTIONAL_STRING_COLUMNS, ...OPTIONAL_NUMBER_COLUMNS,
  ].filter((c) => opts.skip === undefined || !opts.skip.includes(c));
  const source = await openParquetBatches(path, wanted, REQUIRED, 'an events file (docs/contract.md §3)', opts.readAhead, opts.skip !== undefined);
  const n = source.numRows;
  const has = new Set(source.columns);
  const optCodes = new Map<OptionalStringKey, { codes: Int32Array; interner: Utf8Interner }>();
  for (const k of OPTIONAL_STRING_COLUMNS) if (has.has(k)) optCodes.set(k, { codes: new Int32Array(n).fill(-1), interner: new Utf8Interner() });
  const optNums = new Map<string, Float64Array>();
  for (const k of OPTIONAL_NUMBER_COLUMNS) if (has.has(k)) optNums.set(k, new Float64Array(n).fill(NaN));
  const codes = {} as Record<StringKey, Int32Array>;
  const interners = {} as Record<StringKey, Utf8Interner>;
  for (const k of Object.keys(STRING_COLUMNS) as StringKey[]) {
    codes[k] = new Int32Array(n).fill(-1);
    interners[k] = new Utf8Interner();
  }
  const nums = { ts: new Float64Array(n), price: new Float64Array(n).fill(NaN), dwellMs: new Float64Array(n).fill(NaN), src_offset: opts.offsetsForOrder === true ? null : new Float64Array(n).fill(NaN) };
  const isAgent = new Int8Array(n).fill(-1);
  const priceBaseFirst = opts.baseFirst ? new Float64Array(n) : null;
  const metaChunks: { data: arrow.Data; at: number }[] = [];

  let row = 0;
  for await (const table of source.batches()) {
    const len = table.numRows;
    if (row + len > n) throw new UsageError(`${path}: more rows than its footer declares`);
    for (const k of Object.keys(STRING_COLUMNS) as StringKey[]) {
      const vec = table.getChild(STRING_COLUMNS[k]);
      if (vec === null) continue;
      let at = row;
      for (const d of vec.data) {
        internChunk(d, interners[k], codes[k], at);
        at += d.length;
      }
    }
    for (const k of ['ts', 'price', 'dwellMs'] as const) {
      const vec = table.getChild(k);
      if (vec !== null) nums[k].set(readNumbers(vec, len), row);
    }
    const offsets = table.getChild('src_offset');
    if (offsets !== null && (nums.src_offset !== null || offsets.nullCount < len)) {
      nums.src_offset ??= new Float64Array(n).fill(NaN);
      nums.src_offset.set(readNumbers(offsets, len), row);
    }
    for (const [k, c] of optCodes) {
      let at = row;
      for (const d of table.getChild(k)?.data ?? []) {
        internChunk(d, c.interner, c.codes, at);
        at += d.length;
      }
    }
    for (const [k, v] of optNums) {
      const vec = table.getChild(k);
      if (vec !== null) v.set(readNumbers(vec, len), row);
    }
    const label = table.getChild('is_agent');
    if (label !== null) isAgent.set(readFlags(label, len), row);
    const meta = table.getChild('metadata');
    if (meta !== null) {
      let at = row;
      for (const d of meta.data) {
        metaChunks.push({ data: d, at });
        at += d.length;
      }
    }
    if (priceBaseFirst !== null) {
      priceBaseFirst.set(nums.price.subarray(row, row + len), row);
      for (const m of metaChunks) baseFirstChunk(m.data, nums.price, priceBaseFirst, m.at);
      metaChunks.length = 0;
    }
    row += len;
  }
  if (row !== n) throw new UsageError(`${path}: read ${row} rows, its footer declares ${n}`);
  for (let i = 0; i < n; i++) if (Number.isNaN(nums.ts[i]!)) throw new UsageError(`${path}: row ${i} has a null ts`);
  const dict = (k: StringKey) => ({ codes: codes[k], dict: interners[k].dictionary() });
  const opt = (k: OptionalStringKey) => {
    const c = optCodes.get(k);
    return c === undefined ? null : { codes: c.codes, dict: c.interner.dictionary() };
  };
  const kind = opt('resource_kind');
  const requests: RequestColumns | null = kind === null ? null : {
    resource_kind: kind, method: opt('method'), path: opt('path'), query: opt('query'), referrer: opt('referrer'),
    status: optNums.get('status') ?? null, bytes: optNums.get('bytes') ?? null,
  };
  const userAgent = has.has('userAgent') ? dict('userAgent') : (opt('user_agent') ?? dict('userAgent'));
  return {
    length: n, sessionId: dict('sessionId'), experimentId: dict('experimentId'), ts: nums.ts, eventName: dict('eventName'), page: dict('page'),
    productId: dict('productId'), price: nums.price, dwellMs: nums.dwellMs, userAgent, isAgent, srcOffset: nums.src_offset ?? new Float64Array(n), priceBaseFirst,
    requests, site: opt('site'),
  };
}
