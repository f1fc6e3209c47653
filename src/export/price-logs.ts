/**
 * Price observations (docs/contract.md §1, topic `price-logs`): raw record → validated row with a precise reject
 * reason (as `normalise` does for events), a columnar builder, and `price-logs.parquet` with columns
 * productId, price, sessionId, experimentId, storeMode, ts and the provenance columns.
 */
import type * as arrow from '../io/arrow.js';
import { parseBoundedJson, RECORD_LIMITS, valueDepth } from '../events/bounded-json.js';
import { inEventRange, parseTimestampMs } from '../io/timestamp.js';
import { DictBuilder } from '../events/table.js';
// Arrow (via arrow-vectors) loads only when price logs are written: an export's record stage and sink use this module too
type ArrowVectors = typeof import('../io/arrow-vectors.js');
import type { CompressionName } from '../io/parquet.js';
import { type SrcRange, srcRanges } from './src-ranges.js';
import type { RawRecord } from '../sources/types.js';

export interface PriceRow {
  productId: string;
  price: number;
  sessionId: string;
  experimentId: string | null;
  storeMode: string | null;
  ts: number;
}

export type PriceResult = { ok: true; row: PriceRow; tsFromBroker: boolean } | { ok: false; reason: string; detail: string };

const bad = (reason: string, detail: string): PriceResult => ({ ok: false, reason, detail });

function requiredString(o: Record<string, unknown>, field: string, missing: string): string | PriceResult {
  const v = o[field];
  if (v === undefined || v === null || v === '') return bad(missing, `${field} is missing or empty`);
  if (typeof v !== 'string') return bad(`wrong_type:${field}`, `${field} is ${typeof v}, expected string`);
  return v;
}

function optionalString(o: Record<string, unknown>, field: string): string | null | PriceResult {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return bad(`wrong_type:${field}`, `${field} is ${typeof v}, expected string or null`);
  return v;
}

/**
 * Validate one price-log record (`{productId, price, sessionId, experimentId?, storeMode, ts}`).
 * A missing `ts` falls back to the broker timestamp, as for events.
 * @example normalisePrice({ value: '{"productId":"p1","price":99,"sessionId":"s","ts":0}', provenance })
 */
export function normalisePrice(record: RawRecord): PriceResult {
  let value = record.value;
  if (value instanceof Uint8Array) return bad('invalid_utf8', `value is ${value.length} bytes that are not UTF-8 text`);
  if (typeof value === 'string') {
    const parsed = parseBoundedJson(value, RECORD_LIMITS);
    if (!parsed.ok) return bad(parsed.reason, parsed.detail);
    value = parsed.value;
  } else if (valueDepth(value, RECORD_LIMITS.maxDepth) > RECORD_LIMITS.maxDepth) return bad('too_deep', `value nests more than ${RECORD_LIMITS.maxDepth} levels`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('not_an_object', `value is ${Array.isArray(value) ? 'an array' : typeof value}`);
  const o = value as Record<string, unknown>;
  const productId = requiredString(o, 'productId', 'missing_product_id');
  if (typeof productId !== 'string') return productId;
  const sessionId = requiredString(o, 'sessionId', 'missing_session_id');
  if (typeof sessionId !== 'string') return sessionId;
  const price = o['price'];
  if (price === undefined || price === null) return bad('missing_price', 'price is missing');
  if (typeof price !== 'number' || !Number.isFinite(price)) return bad('wrong_type:price', `price is ${JSON.stringify(price).slice(0, 40)}, expected a finite number`);
  const experimentId = optionalString(o, 'experimentId');
  if (experimentId !== null && typeof experimentId !== 'string') return experimentId;
  const storeMode = optionalString(o, 'storeMode');
  if (storeMode !== null && typeof storeMode !== 'string') return storeMode;
  let ts: number;
  let tsFromBroker = false;
  if (o['ts'] === undefined || o['ts'] === null) {
    if (record.provenance.timestamp === null) return bad('bad_timestamp', 'ts is missing and the record has no broker timestamp');
    ts = record.provenance.timestamp;
    tsFromBroker = true;
  } else {
    if (typeof o['ts'] !== 'string' && typeof o['ts'] !== 'number') return bad('wrong_type:ts', `ts is ${typeof o['ts']}`);
    ts = parseTimestampMs(o['ts']);
    if (!Number.isFinite(ts)) return bad('bad_timestamp', `cannot parse ts ${JSON.stringify(o['ts']).slice(0, 60)}`);
    if (!inEventRange(ts)) return bad('bad_timestamp', `ts ${JSON.stringify(o['ts']).slice(0, 60)} is more than 10,000 years from 1970`);
  }
  return { ok: true, tsFromBroker, row: { productId, price, sessionId, experimentId, storeMode, ts } };
}

/** Columnar price-log rows, for one file. */
export class PriceBuilder {
  length = 0;
  private readonly dicts = { productId: new DictBuilder(0), sessionId: new DictBuilder(0), experimentId: new DictBuilder(0), storeMode: new DictBuilder(0), srcTopic: new DictBuilder(0) };
  private readonly nums = { price: [] as number[], ts: [] as number[], srcOffset: [] as number[], srcTs: [] as number[], srcPartition: [] as number[] };
  private readonly codes = { productId: [] as number[], sessionId: [] as number[], experimentId: [] as number[], storeMode: [] as number[], srcTopic: [] as number[] };

  append(row: PriceRow, record: RawRecord): void {
    const p = record.provenance;
    const c = this.codes, d = this.dicts, n = this.nums;
    c.productId.push(d.productId.intern(row.productId));
    c.sessionId.push(d.sessionId.intern(row.sessionId));
    c.experimentId.push(d.experimentId.intern(row.experimentId));
    c.storeMode.push(d.storeMode.intern(row.storeMode));
    c.srcTopic.push(d.srcTopic.intern(p.topic));
    n.price.push(row.price);
    n.ts.push(row.ts);
    n.srcOffset.push(p.offset ?? NaN);
    n.srcTs.push(p.timestamp ?? NaN);
    n.srcPartition.push(p.partition ?? -1);
    this.length++;
  }

  /** The rows as one record batch (docs/contract.md §3); `v` is io/arrow-vectors.js, loaded by the caller. */
  toBatch(v: ArrowVectors): arrow.RecordBatch {
    const { dictionaryData, float64Data, int32Data, int64Data, recordBatch, timestampMsData, utf8FromCodes } = v;
    const c = this.codes, d = this.dicts, n = this.nums;
    return recordBatch([
      { name: 'productId', data: utf8FromCodes(Int32Array.from(c.productId), d.productId.dict), nullable: false },
      { name: 'price', data: float64Data(Float64Array.from(n.price)), nullable: false },
      { name: 'sessionId', data: dictionaryData(Int32Array.from(c.sessionId), d.sessionId.dict, 0), nullable: false },
      { name: 'experimentId', data: utf8FromCodes(Int32Array.from(c.experimentId), d.experimentId.dict), nullable: true },
      { name: 'storeMode', data: dictionaryData(Int32Array.from(c.storeMode), d.storeMode.dict, 1), nullable: true },
      { name: 'ts', data: timestampMsData(Float64Array.from(n.ts)), nullable: false },
      { name: 'src_topic', data: utf8FromCodes(Int32Array.from(c.srcTopic), d.srcTopic.dict), nullable: true },
      { name: 'src_partition', data: int32Data(Int32Array.from(n.srcPartition)), nullable: true },
      { name: 'src_offset', data: int64Data(Float64Array.from(n.srcOffset)), nullable: true },
      { name: 'src_ts', data: timestampMsData(Float64Array.from(n.srcTs)), nullable: true },
    ]);
  }

  /** Offset ranges per (topic, partition) of the rows, for the file footer. */
  ranges(): SrcRange[] {
    const { srcTopic } = this.codes;
    return srcRanges(this.length, (i) => srcTopic[i]!, (i) => this.dicts.srcTopic.dict[srcTopic[i]!] ?? null, (i) => this.nums.srcPartition[i]!, (i) => this.nums.srcOffset[i]!);
  }
}

/**
 * Write price-log rows (one batch per builder) to a Parquet file atomically; returns the rows written.
 * @example await writePriceLogs('price-logs.parquet', [builder], { compression: 'zstd', rowGroupSize: 250_000 })
 */
export async function writePriceLogs(path: string, builders: readonly PriceBuilder[], opts: { compression: CompressionName; rowGroupSize: number; metadata?: Record<string, string> }): Promise<number> {
  const rows = builders.reduce((n, b) => n + b.length, 0);
  const v = await import('../io/arrow-vectors.js');
  const batches = builders.length === 0 ? [new PriceBuilder().toBatch(v)] : builders.map((b) => b.toBatch(v));
  const { writeParquet } = await import('../io/parquet.js'); // parquet-wasm: loaded only by exports that write price logs
  await writeParquet(path, batches, {
    compression: opts.compression,
    rowGroupSize: opts.rowGroupSize,
    metadata: { 'phantom.schema_version': '1', 'phantom.kind': 'price-logs', ...opts.metadata },
    finalMetadata: () => ({ 'phantom.rows': String(rows) }),
  });
  return rows;
}
