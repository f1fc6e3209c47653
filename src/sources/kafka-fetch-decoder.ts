/**
 * A faster decoder of Kafka Fetch responses (v4–v11, record batches of magic 2), installed into kafkajs
 * 2.2.4 in place of its own (docs/perf/kafkadec.md). kafkajs decodes every record through a new
 * `Decoder`, three BigInt `Long`s parsed from decimal strings (offset, timestamp, the batch filter) and a
 * header object built by spreading; this reads the batch bytes with plain integer arithmetic and yields
 * the very same messages: the same fields in the same order, offsets and timestamps as the same decimal
 * strings, key/value slices of the same bytes, the same header objects, control records, batch contexts
 * (aborted transactions are filtered later by kafkajs from these) and compressed batches through
 * kafkajs's own codecs. Anything it does not expect (an offset or timestamp beyond 2^53, a varint that
 * runs past its record, a negative length, an old message set) is decoded by kafkajs's own code, so the
 * result is kafkajs's wherever kafkajs succeeds.
 *
 * Installed once, by replacing `decode` on kafkajs's fetch response modules (looked up per response by
 * its connection). Guarded: only kafkajs 2.2.4 (pinned in package-lock.json, unmaintained), only when its
 * modules have the expected shape, and only when a canned response decodes identically through both;
 * otherwise kafkajs keeps its own decoder. `PHANTOM_KAFKAJS_DECODER=1` keeps kafkajs's own (A/B runs).
 */
import { isDeepStrictEqual } from 'node:util';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The part of kafkajs's `Decoder` (src/protocol/decoder.js) the partition headers are read with. */
interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readString(): string | null;
  readBytes(n: number): Buffer;
  canReadBytes(n: number): boolean;
  readArray<T>(reader: (d: KafkajsDecoder) => T): T[];
  readArrayAsync<T>(reader: (d: KafkajsDecoder) => Promise<T>): Promise<T[]>;
}
type DecoderClass = new (buffer: Buffer) => KafkajsDecoder;
type Codec = { decompress(b: Buffer): Promise<Buffer> } | null;

interface Kafkajs {
  /** each version's own decode, as it was when first loaded (before any install) */
  originals: Map<number, (raw: Buffer) => Promise<unknown>>;
  Decoder: DecoderClass;
  decodeMessages: (d: KafkajsDecoder) => Promise<unknown[]>;
  recordBatchDecoder: (d: KafkajsDecoder) => Promise<{ records: unknown[] }>;
  lookupCodecByAttributes: (attributes: number) => Codec;
  logAppendTime: number;
  createTime: number;
  responses: Map<number, { decode: (raw: Buffer) => Promise<unknown>; parse: unknown }>;
}

export const KAFKAJS_VERSION = '2.2.4';
/** Fetch response versions whose layout this module writes (kafkajs 2.2.4 speaks v0–v11). */
export const FETCH_VERSIONS: readonly number[] = [4, 5, 6, 7, 8, 9, 10, 11];

const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
const MAGIC_OFFSET = 16; // kafkajs's decodeMessages: where the first batch's magic byte is
const RECORD_BATCH_OVERHEAD = 49;
const BATCH_HEADER = 45; // partitionLeaderEpoch … firstSequence, after firstOffset and length
const TWO_32 = 2 ** 32;

/** Thrown inside the fast path when the bytes are not what it expects: kafkajs decodes that batch. */
class Unusual extends Error {}
const UNUSUAL = new Unusual();

let loaded: Kafkajs | null | undefined;
const loadKafkajs = (): Kafkajs | null => (loaded === undefined ? (loaded = load()) : loaded);

function load(): Kafkajs | null {
  try {
    const version = (require('kafkajs/package.json') as { version?: unknown }).version;
    if (version !== KAFKAJS_VERSION) return null;
    const base = 'kafkajs/src/protocol/';
    const Decoder = require(`${base}decoder.js`) as unknown;
    const decodeMessages = require(`${base}requests/fetch/v4/decodeMessages.js`) as unknown;
    const recordBatchDecoder = require(`${base}recordBatch/v0/decoder.js`) as unknown;
    const compression = require(`${base}message/compression/index.js`) as { lookupCodecByAttributes?: unknown };
    const types = require(`${base}timestampTypes.js`) as { LOG_APPEND_TIME?: unknown; CREATE_TIME?: unknown };
    if (typeof Decoder !== 'function' || typeof decodeMessages !== 'function' || typeof recordBatchDecoder !== 'function') return null;
    if (typeof compression.lookupCodecByAttributes !== 'function' || types.LOG_APPEND_TIME !== 1 || types.CREATE_TIME !== 0) return null;
    const proto = (Decoder as { prototype: Record<string, unknown> }).prototype;
    for (const m of ['readInt16', 'readInt32', 'readInt64', 'readString', 'readBytes', 'canReadBytes', 'readArray', 'readArrayAsync']) {
      if (typeof proto[m] !== 'function') return null;
    }
    const responses = new Map<number, { decode: (raw: Buffer) => Promise<unknown>; parse: unknown }>();
    for (const v of FETCH_VERSIONS) {
      const r = require(`${base}requests/fetch/v${v}/response.js`) as { decode?: unknown; parse?: unknown };
      if (typeof r.decode !== 'function' || typeof r.parse !== 'function') return null;
      responses.set(v, r as { decode: (raw: Buffer) => Promise<unknown>; parse: unknown });
    }
    return {
      originals: new Map([...responses].map(([v, r]) => [v, r.decode])),
      Decoder: Decoder as DecoderClass,
      decodeMessages: decodeMessages as Kafkajs['decodeMessages'],
      recordBatchDecoder: recordBatchDecoder as Kafkajs['recordBatchDecoder'],
      lookupCodecByAttributes: compression.lookupCodecByAttributes as Kafkajs['lookupCodecByAttributes'],
      logAppendTime: 1,
      createTime: 0,
      responses,
    };
  } catch {
    return null;
  }
}

// The record being read: `src[at, end)`. Module state rather than an object: decodeRecords runs
// synchronously from start to end, and plain variables keep V8's inner loop free of property loads.
const EMPTY = Buffer.alloc(0);
let src: Buffer = EMPTY;
let at = 0;
let end = 0;

// kafkajs's readVarInt, byte for byte (its arithmetic included), refusing to read past `end`
function varInt(): number {
  let b: number;
  let result = 0;
  let i = 0;
  do {
    if (at >= end) throw UNUSUAL;
    b = src[at++]!;
    result += (b & 0x7f) << i;
    i += 7;
  } while (b >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

// kafkajs's readVarLong + decodeZigZag64, as a number: up to 7 bytes (49 bits) it is exact
function varLong(): number {
  let b: number;
  let result = 0;
  let scale = 1;
  let n = 0;
  do {
    if (at >= end || ++n > 7) throw UNUSUAL;
    b = src[at++]!;
    result += (b & 0x7f) * scale;
    scale *= 128;
  } while (b >= 0x80);
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}

// kafkajs's readVarIntBytes: null for -1; other negative lengths or a length past the end: unusual
function bytes(): Buffer | null {
  const n = varInt();
  if (n === -1) return null;
  if (n < 0 || at + n > end) throw UNUSUAL;
  const b = src.subarray(at, at + n);
  at += n;
  return b;
}

/** The batch context kafkajs gives every record of a batch (one object per batch, the same key order). */
interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

const int64Text = (buf: Buffer, at: number): string => buf.readBigInt64BE(at).toString();

// An int64 as a number when it is a safe integer (then String(n) is its decimal text), else NaN
function int64Number(buf: Buffer, at: number): number {
  const n = buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
  return Number.isSafeInteger(n) ? n : NaN;
}

/** kafkajs's header object: repeated keys collect into an array, read and written as its reduce does. */
function headerObject(): Record<string, unknown> {
  const count = varInt();
  const headers: Record<string, unknown> = {};
  if (count === -1) return headers;
  if (count < 0) throw UNUSUAL;
  for (let i = 0; i < count; i++) {
    const n = varInt();
    let key: string | null = null;
    if (n !== -1) {
      if (n < 0 || at + n > end) throw UNUSUAL;
      key = src.toString('utf8', at, at + n);
      at += n;
    }
    const value = bytes();
    const k = String(key);
    const prev = headers[k];
    const next = prev === undefined ? value : Array.isArray(prev) ? prev.concat([value]) : [prev, value];
    // the spread of kafkajs defines an own property, even named __proto__
    if (k === '__proto__') Object.defineProperty(headers, k, { value: next, writable: true, enumerable: true, configurable: true });
    else headers[k] = next;
  }
  return headers;
}

/**
 * Decode `count` length-prefixed records of `buf[from, limit)` as kafkajs's record decoder would; throws
 * Unusual where its result could differ.
 */
function decodeRecords(buf: Buffer, from: number, limit: number, count: number, ctx: BatchContext, firstOffset: number, firstTimestamp: number, appendTime: boolean): unknown[] {
  const records = new Array<unknown>(count);
  src = buf;
  at = from;
  for (let i = 0; i < count; i++) {
    end = limit;
    const length = varInt();
    if (length <= 0 || at + length > limit) throw UNUSUAL;
    const recordEnd = at + length;
    end = recordEnd;
    const attributes = buf.readInt8(at++);
    const timestampDelta = varLong();
    let timestamp: string;
    if (appendTime) timestamp = ctx.maxTimestamp;
    else {
      const t = firstTimestamp + timestampDelta;
      if (!Number.isSafeInteger(t)) throw UNUSUAL;
      timestamp = String(t);
    }
    const offset = firstOffset + varInt();
    if (!Number.isSafeInteger(offset)) throw UNUSUAL;
    const key = bytes();
    const value = bytes();
    const headers = headerObject();
    records[i] = {
      magicByte: ctx.magicByte,
      attributes,
      timestamp,
      offset: String(offset),
      key,
      value,
      headers,
      isControlRecord: ctx.isControlBatch,
      batchContext: ctx,
    };
    at = recordEnd;
  }
  src = EMPTY;
  return records;
}


/**
 * One record batch whose length field says it lies within `buf[p + 12, p + 12 + length)`; returns its
 * records, or throws Unusual (kafkajs then decodes it).
 */
async function decodeBatch(k: Kafkajs, buf: Buffer, p: number, length: number): Promise<unknown[]> {
  if (length < RECORD_BATCH_OVERHEAD) throw UNUSUAL;
  const q = p + 12;
  const end = q + length;
  const attributes = buf.readInt16BE(q + 9);
  const firstOffset = int64Number(buf, p);
  const firstTimestamp = int64Number(buf, q + 15);
  if (Number.isNaN(firstOffset) || Number.isNaN(firstTimestamp)) throw UNUSUAL;
  const ctx: BatchContext = {
    firstOffset: String(firstOffset),
    firstTimestamp: String(firstTimestamp),
    partitionLeaderEpoch: buf.readInt32BE(q),
    inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
    isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
    lastOffsetDelta: buf.readInt32BE(q + 11),
    producerId: int64Text(buf, q + 31),
    producerEpoch: buf.readInt16BE(q + 39),
    firstSequence: buf.readInt32BE(q + 41),
    maxTimestamp: int64Text(buf, q + 23),
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? k.logAppendTime : k.createTime,
    magicByte: buf.readInt8(q + 4),
  };
  const appendTime = ctx.timestampType === k.logAppendTime;
  const codec = k.lookupCodecByAttributes(attributes);
  const count = buf.readInt32BE(q + BATCH_HEADER);
  if (codec === null) {
    if (count === -1) return [];
    if (count < 0) throw UNUSUAL;
    return decodeRecords(buf, q + BATCH_HEADER + 4, end, count, ctx, firstOffset, firstTimestamp, appendTime);
  }
  if (count <= 0) return [];
  const inflated = await codec.decompress(buf.subarray(q + BATCH_HEADER + 4, end));
  return decodeRecords(inflated, 0, inflated.length, count, ctx, firstOffset, firstTimestamp, appendTime);
}

/** kafkajs's fetch/v4/decodeMessages, with record batches decoded by decodeBatch. */
async function decodeMessages(k: Kafkajs, decoder: KafkajsDecoder): Promise<unknown[]> {
  const start = decoder.offset;
  const size = decoder.buffer.length - start >= 4 ? decoder.buffer.readInt32BE(start) : -1;
  // an empty, short or old-format (magic 0/1) record set: kafkajs's own code
  if (size <= MAGIC_OFFSET || decoder.buffer.length - start - 4 < size || decoder.buffer.readInt8(start + 4 + MAGIC_OFFSET) !== 2) {
    return k.decodeMessages(decoder);
  }
  const buf = decoder.readBytes(decoder.readInt32());
  const records: unknown[] = [];
  let p = 0;
  while (buf.length - p >= RECORD_BATCH_OVERHEAD) {
    const length = buf.readInt32BE(p + 8);
    // a batch cut short by the fetch size ends the set (kafkajs's KafkaJSPartialMessageError)
    if (length >= 0 && buf.length - p - 12 < length) break;
    let batch: unknown[];
    try {
      batch = await decodeBatch(k, buf, p, length);
      p += 12 + length;
    } catch (e) {
      src = EMPTY; // the fast path stopped mid-batch: hold no fetch buffer past it
      if (!(e instanceof Unusual)) throw e;
      const d = new k.Decoder(buf);
      d.offset = p;
      try {
        batch = (await k.recordBatchDecoder(d)).records;
      } catch (err) {
        if ((err as Error).name === 'KafkaJSPartialMessageError') break;
        throw err;
      }
      p = d.offset;
    }
    for (let i = 0; i < batch.length; i++) records.push(batch[i]);
  }
  return records;
}

const abortedTransaction = (d: KafkajsDecoder): { producerId: string; firstOffset: string } => ({
  producerId: d.readInt64().toString(),
  firstOffset: d.readInt64().toString(),
});

/** kafkajs's fetch response decode of version `v` (the same object, key for key), with decodeMessages above. */
function responseDecoder(k: Kafkajs, v: number): (raw: Buffer) => Promise<unknown> {
  const decodePartition = async (d: KafkajsDecoder): Promise<unknown> => {
    const partition = d.readInt32();
    const errorCode = d.readInt16();
    const highWatermark = d.readInt64().toString();
    const lastStableOffset = d.readInt64().toString();
    if (v === 4) return { partition, errorCode, highWatermark, lastStableOffset, abortedTransactions: d.readArray(abortedTransaction), messages: await decodeMessages(k, d) };
    const lastStartOffset = d.readInt64().toString();
    const abortedTransactions = d.readArray(abortedTransaction);
    if (v < 11) return { partition, errorCode, highWatermark, lastStableOffset, lastStartOffset, abortedTransactions, messages: await decodeMessages(k, d) };
    const preferredReadReplica = d.readInt32();
    return { partition, errorCode, highWatermark, lastStableOffset, lastStartOffset, abortedTransactions, preferredReadReplica, messages: await decodeMessages(k, d) };
  };
  const decodeResponse = async (d: KafkajsDecoder): Promise<unknown> => {
    const topicName = d.readString();
    return { topicName, partitions: await d.readArrayAsync(decodePartition) };
  };
  return async (raw: Buffer) => {
    const d = new k.Decoder(raw);
    if (v < 7) {
      const throttleTime = d.readInt32();
      return { throttleTime, responses: await d.readArrayAsync(decodeResponse) };
    }
    const throttle = d.readInt32();
    const errorCode = d.readInt16();
    const sessionId = d.readInt32();
    const responses = await d.readArrayAsync(decodeResponse);
    if (v === 7) return { throttleTime: throttle, errorCode, sessionId, responses };
    return { throttleTime: 0, clientSideThrottleTime: throttle, errorCode, sessionId, responses };
  };
}

/**
 * The fast decoder of each fetch response version, or null when kafkajs is not the expected version or
 * shape (for tests: compare with kafkajs's own `decode`).
 */
export function fastFetchDecoders(): Map<number, (raw: Buffer) => Promise<unknown>> | null {
  const k = loadKafkajs();
  if (k === null) return null;
  return new Map(FETCH_VERSIONS.map((v) => [v, responseDecoder(k, v)]));
}

/** kafkajs's own decoders, as they were before any install (tests compare the two). */
export function kafkajsFetchDecoders(): Map<number, (raw: Buffer) => Promise<unknown>> | null {
  return loadKafkajs()?.originals ?? null;
}

let installed: Promise<boolean> | null = null;

/**
 * Install the fast decoder into kafkajs, once; resolves to whether it is in use. It is not when kafkajs
 * is another version or shape, when `PHANTOM_KAFKAJS_DECODER=1`, or when `canned` (fetch responses by
 * version) decode differently through the two.
 * @example await installFetchDecoder(); // before the first fetch
 */
export function installFetchDecoder(canned: ReadonlyMap<number, Buffer> = CANNED, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  installed ??= (async () => {
    if (env['PHANTOM_KAFKAJS_DECODER'] === '1') return false;
    const k = loadKafkajs();
    if (k === null) return false;
    const fast = new Map(FETCH_VERSIONS.map((v) => [v, responseDecoder(k, v)]));
    try {
      for (const [v, raw] of canned) {
        if (!isDeepStrictEqual(await fast.get(v)!(raw), await k.originals.get(v)!(raw))) return false;
      }
    } catch {
      return false;
    }
    for (const [v, r] of k.responses) r.decode = fast.get(v)!;
    return true;
  })();
  return installed;
}

// Fetch v4 and v11 responses of one partition (test/support/kafka-fetch-bytes.ts): a batch of three records
// (keyed and not, a null value, headers with a repeated key and a null value, a negative timestamp delta), a
// gzip transactional batch of the same records inside an aborted transaction, and its abort marker.
const CANNED: ReadonlyMap<number, Buffer> = new Map([
  [4, Buffer.from('AAAAAAAAAAEAAXQAAAABAAAAAAAAAAAAAAAAAAkAAAAAAAAACQAAAAEAAAAAAAAABwAAAAAAAAADAAABQgAAAAAAAAAAAAAAZAAAAAACAAAAAAAAAAAAAgAAAYvP5WgAAAABi8/laAD//////////////////wAAAAM0AAAABHMxDnsiYSI6MX0GAmgCeAJoAnkCbgEMAAkCAQEAIADYBAQEczIOeyJiIjoyfQAAAAAAAAAAAwAAAHgAAAAAAgAAAAAAEQAAAAIAAAGLz+VoAAAAAYvP5WgAAAAAAAAAAAcAAP////8AAAADH4sIAAAAAAAAAzNhYGBgKTbkq1ZKVLIyrGVjymCqYMpgqmTKY+Rh4GRiZGRQYLjBwsJSbMRXrZSkZGVUywAA3jAC3TMAAAAAAAAAAAAABgAAAEIAAAAAAgAAAAAAMAAAAAAAAAGLz+VoAAAAAYvP5WgAAAAAAAAAAAcAAP////8AAAABIAAAAAgAAAAADAAAAAAAAAA=', 'base64')],
  [11, Buffer.from('AAAAAAAAAAAAAAAAAAEAAXQAAAABAAAAAAAAAAAAAAAAAAkAAAAAAAAACQAAAAAAAAAAAAAAAQAAAAAAAAAHAAAAAAAAAAP/////AAABQgAAAAAAAAAAAAAAZAAAAAACAAAAAAAAAAAAAgAAAYvP5WgAAAABi8/laAD//////////////////wAAAAM0AAAABHMxDnsiYSI6MX0GAmgCeAJoAnkCbgEMAAkCAQEAIADYBAQEczIOeyJiIjoyfQAAAAAAAAAAAwAAAHgAAAAAAgAAAAAAEQAAAAIAAAGLz+VoAAAAAYvP5WgAAAAAAAAAAAcAAP////8AAAADH4sIAAAAAAAAAzNhYGBgKTbkq1ZKVLIyrGVjymCqYMpgqmTKY+Rh4GRiZGRQYLjBwsJSbMRXrZSkZGVUywAA3jAC3TMAAAAAAAAAAAAABgAAAEIAAAAAAgAAAAAAMAAAAAAAAAGLz+VoAAAAAYvP5WgAAAAAAAAAAAcAAP////8AAAABIAAAAAgAAAAADAAAAAAAAAA=', 'base64')],
]);
