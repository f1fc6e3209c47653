/**
 * A direct reader for flat Parquet files — the sessions tables `phantom features`, pandas or DuckDB write:
 * every column a top-level DOUBLE, FLOAT, INT32, INT64 (no logical type but a signed integer), BOOLEAN or
 * UTF-8 BYTE_ARRAY, required or optional; pages PLAIN, dictionary-encoded or (booleans) RLE, data pages v1
 * or v2, compressed with zstd, gzip or not at all. Numbers land in one Float64Array per column (NaN for
 * null), strings as codes into one dictionary, exactly as parquet-wasm + Arrow + io/arrow-columns.ts read
 * them, without parquet-wasm's one-time cost (≈ 0.7–1 s CPU on a 100k-row file, most of it compiling and
 * tiering up its 5 MB WebAssembly module: docs/perf/distill-read.md, docs/perf/readcmd.md).
 * Anything else — another type or logical type, an Arrow schema asking for another Arrow type, nesting,
 * snappy, a page that does not decode — returns null, and the caller reads the file through parquet-wasm as
 * before (which also names the file in any error). Pages: parquet-read-pages.ts; values: parquet-read-sinks.ts.
 */
import * as arrow from './arrow.js';
import { wholeFileFooter } from './parquet-checksums.js';
import { BOOLEAN, newPageCtx, walkChunk } from './parquet-read-pages.js';
import { BYTE_ARRAY, DOUBLE, FLOAT, INT32, INT64, NumberSink, StringSink } from './parquet-read-sinks.js';
import { Compact, list, need, num, struct, type TStruct, Unsupported } from './thrift-compact-read.js';

const REQUIRED = 0, OPTIONAL = 1;
const UTF8 = 0, INT_32 = 17, INT_64 = 18; // converted types

/** A column read from a flat file: numbers (NaN = null; booleans 0/1) or string codes (−1 = null). */
export type FlatColumnData =
  | { name: string; kind: 'numeric'; values: Float64Array; boolean: boolean }
  | { name: string; kind: 'category'; codes: Int32Array; dict: string[] };

export interface FlatParquetTable {
  nRows: number;
  columns: FlatColumnData[];
  /** footer key/value metadata, without `ARROW:schema` (as parquet-wasm's Arrow schema reports it) */
  metadata: Record<string, string>;
}

/** A column read from an all-double file. */
export interface FlatColumn {
  name: string;
  values: Float64Array;
}

export interface FlatTable {
  nRows: number;
  columns: FlatColumn[];
  metadata: Record<string, string>;
}

/** How one leaf is read: its physical type and what Arrow type parquet-wasm would make of it. */
interface Leaf {
  name: string;
  optional: boolean;
  physical: number;
  /** number: Float64/Float32/Int32/Int64; boolean: Bool; utf8: Utf8 (codes by first appearance); dict: Dictionary<*, Utf8> */
  kind: 'number' | 'boolean' | 'utf8' | 'dict';
}

/**
 * Read `bytes` (a whole Parquet file) if it is flat and stored in a way this reader knows; otherwise null
 * (read it through parquet-wasm instead).
 * @example const t = await readFlatParquet(await readFile('sessions.parquet')) ?? slowPath();
 */
export async function readFlatParquet(bytes: Uint8Array): Promise<FlatParquetTable | null> {
  try {
    return await decodeFile(bytes, false);
  } catch (err) {
    // TypeError: a name or value that is not UTF-8
    if (err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}

/**
 * The same for files whose columns are all plain doubles (null for any other file).
 * @example const t = await readFlatDoubleParquet(await readFile('sessions.parquet')) ?? slowPath();
 */
export async function readFlatDoubleParquet(bytes: Uint8Array): Promise<FlatTable | null> {
  try {
    const t = await decodeFile(bytes, true);
    return { nRows: t.nRows, metadata: t.metadata, columns: t.columns.map((c) => ({ name: c.name, values: (c as { values: Float64Array }).values })) };
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}

/** The leaf's reading, from its Parquet schema element (and the Arrow field of an embedded schema). */
function leafOf(el: TStruct, name: string, field: arrow.Field | undefined, onlyDoubles: boolean): Leaf {
  const physical = need(el, 1);
  const rep = need(el, 3);
  if (rep !== REQUIRED && rep !== OPTIONAL) throw new Unsupported('repeated');
  if (el.has(5)) throw new Unsupported('group');
  const converted = num(el, 6), logical = struct(el, 10);
  const t = field?.type;
  const signedInt = (bits: number): boolean => {
    const it = logical === undefined ? undefined : struct(logical, 10);
    const convertedOk = converted === undefined || converted === (bits === 32 ? INT_32 : INT_64);
    const logicalOk = logical === undefined || (it !== undefined && num(it, 1) === bits && it.get(2) === true);
    const arrowOk = t === undefined || (arrow.DataType.isInt(t) && t.bitWidth === bits && t.isSigned);
    return convertedOk && logicalOk && arrowOk;
  };
  const bare = converted === undefined && logical === undefined;
  let kind: Leaf['kind'] | null = null;
  if (physical === DOUBLE && bare && (t === undefined || (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.DOUBLE))) kind = 'number';
  else if (onlyDoubles) kind = null;
  else if (physical === FLOAT && bare && (t === undefined || (arrow.DataType.isFloat(t) && t.precision === arrow.Precision.SINGLE))) kind = 'number';
  else if (physical === INT32 && signedInt(32)) kind = 'number';
  else if (physical === INT64 && signedInt(64)) kind = 'number';
  else if (physical === BOOLEAN && bare && (t === undefined || arrow.DataType.isBool(t))) kind = 'boolean';
  else if (physical === BYTE_ARRAY && (converted === UTF8 || logical?.has(1) === true)) {
    if (t === undefined || arrow.DataType.isUtf8(t)) kind = 'utf8';
    else if (arrow.DataType.isDictionary(t) && arrow.DataType.isUtf8(t.dictionary)) kind = 'dict';
  }
  if (kind === null) throw new Unsupported(`column ${name}: type`);
  return { name, optional: rep === OPTIONAL, physical, kind };
}

async function decodeFile(bytes: Uint8Array, onlyDoubles: boolean): Promise<FlatParquetTable> {
  const footer = wholeFileFooter(bytes);
  if (footer === null) throw new Unsupported('no PAR1 footer');
  const meta = new Compact(footer).struct();
  const schema = list(meta, 2) as TStruct[];
  const root = schema[0];
  if (root === undefined || need(root, 5) !== schema.length - 1) throw new Unsupported('nested schema');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const names = schema.slice(1).map((el) => {
    const name = el.get(4);
    if (!(name instanceof Uint8Array)) throw new Unsupported('no name');
    return dec.decode(name);
  });
  if (new Set(names).size !== names.length) throw new Unsupported('duplicate names');
  const { metadata: kv, arrowSchema } = footerKeyValues(meta);
  const fields = arrowSchema === null ? undefined : arrowFields(arrowSchema, kv);
  if (fields !== undefined && (fields.length !== names.length || fields.some((f, i) => f.name !== names[i]))) throw new Unsupported('ARROW:schema fields');
  const leaves = schema.slice(1).map((el, i) => leafOf(el, names[i]!, fields?.[i], onlyDoubles));
  const nRows = need(meta, 3);
  const sinks = leaves.map((l) => (l.kind === 'utf8' || l.kind === 'dict' ? new StringSink(nRows, l.kind === 'dict') : new NumberSink(l.physical, new Float64Array(nRows).fill(NaN))));
  const ctx = newPageCtx(bytes);
  let rowBase = 0;
  for (const rg of list(meta, 4) as TStruct[]) {
    const rgRows = need(rg, 3);
    const chunks = list(rg, 1) as TStruct[];
    if (chunks.length !== leaves.length || rowBase + rgRows > nRows) throw new Unsupported('row group shape');
    for (let c = 0; c < chunks.length; c++) {
      const cm = struct(chunks[c]!, 3);
      if (cm === undefined || chunks[c]!.has(1)) throw new Unsupported('external column chunk');
      if (need(cm, 1) !== leaves[c]!.physical) throw new Unsupported('chunk type');
      await walkChunk(ctx, cm, leaves[c]!.optional, rowBase, rgRows, sinks[c]!);
    }
    rowBase += rgRows;
  }
  if (rowBase !== nRows) throw new Unsupported('row count');
  const columns = leaves.map((l, c): FlatColumnData => {
    const sink = sinks[c]!;
    if (sink instanceof StringSink) return { name: l.name, kind: 'category', codes: sink.codes, dict: sink.dict };
    return { name: l.name, kind: 'numeric', values: sink.out, boolean: l.kind === 'boolean' };
  });
  return { nRows, columns, metadata: Object.fromEntries(kv) };
}

/** Footer key/value metadata in file order, with `ARROW:schema` (base64) taken out. */
function footerKeyValues(meta: TStruct): { metadata: Map<string, string>; arrowSchema: string | null } {
  const dec = new TextDecoder('utf-8', { fatal: true });
  const metadata = new Map<string, string>();
  let arrowSchema: string | null = null;
  const kv = meta.get(5);
  if (kv !== undefined) {
    if (!Array.isArray(kv)) throw new Unsupported('key/value metadata');
    for (const e of kv as TStruct[]) {
      const k = e.get(1), v = e.get(2);
      if (!(k instanceof Uint8Array)) throw new Unsupported('key');
      const key = dec.decode(k);
      const value = v instanceof Uint8Array ? dec.decode(v) : '';
      if (key === 'ARROW:schema') arrowSchema = value;
      else metadata.set(key, value);
    }
  }
  return { metadata, arrowSchema };
}

/**
 * The fields of the Arrow schema a writer embedded (base64 IPC, key `ARROW:schema`); its own metadata joins
 * the footer's where a key is missing there, as parquet-wasm (arrow-rs) merges them.
 */
function arrowFields(encoded: string, metadata: Map<string, string>): arrow.Field[] {
  let schema: arrow.Schema;
  try {
    schema = arrow.tableFromIPC(Buffer.from(encoded, 'base64')).schema;
  } catch {
    throw new Unsupported('ARROW:schema');
  }
  for (const [k, v] of schema.metadata) if (!metadata.has(k)) metadata.set(k, v);
  return schema.fields;
}

/**
 * Top-level column names and key/value metadata of a Parquet footer (the bytes before the last 8 of the
 * file), as parquet-wasm's Arrow schema reports them; null if the footer is not one this reader parses
 * (the caller then asks parquet-wasm).
 * @example parquetFooterSummary(footer)?.columns // ['is_agent', 'f0', …]
 */
export function parquetFooterSummary(footer: Uint8Array): { columns: string[]; metadata: Record<string, string> } | null {
  try {
    const meta = new Compact(footer).struct();
    const { metadata, arrowSchema } = footerKeyValues(meta);
    let columns: string[];
    if (arrowSchema !== null) columns = arrowFields(arrowSchema, metadata).map((f) => f.name);
    else {
      // the schema is a depth-first list: the root's children are the top-level columns
      const schema = list(meta, 2) as TStruct[];
      const root = schema[0];
      if (root === undefined) throw new Unsupported('no schema');
      const dec = new TextDecoder('utf-8', { fatal: true });
      columns = [];
      let at = 1;
      const skip = (): void => {
        const el = schema[at++];
        if (el === undefined) throw new Unsupported('schema ends early');
        for (let c = num(el, 5) ?? 0; c > 0; c--) skip();
      };
      for (let c = need(root, 5); c > 0; c--) {
        const name = schema[at]?.get(4);
        if (!(name instanceof Uint8Array)) throw new Unsupported('no name');
        columns.push(dec.decode(name));
        skip();
      }
      if (at !== schema.length) throw new Unsupported('schema shape');
    }
    return { columns, metadata: Object.fromEntries(metadata) };
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError) return null;
    throw err;
  }
}
