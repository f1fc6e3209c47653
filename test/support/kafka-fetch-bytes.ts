/**
 * Kafka Fetch responses (v4–v11) with record batches of magic 2, encoded from the protocol description
 * (https://kafka.apache.org/protocol, "Record Batch"), for decoder tests: any offsets, timestamps, keys,
 * values, headers, control batches, aborted transactions and gzip batches, including odd bytes.
 */
import { gzipSync } from 'node:zlib';

export interface TestRecord {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: [string | null, Buffer | null][];
  attributes?: number;
}

export interface TestBatch {
  firstOffset: bigint;
  firstTimestamp: bigint;
  maxTimestamp?: bigint;
  records: TestRecord[];
  /** bit 3 log-append time, bit 4 transactional, bit 5 control; low bits: 1 = gzip */
  attributes?: number;
  producerId?: bigint;
  producerEpoch?: number;
  /** overrides the record count field (e.g. -1) */
  countField?: number;
}

export interface TestPartition {
  partition: number;
  highWatermark: bigint;
  aborted?: { producerId: bigint; firstOffset: bigint }[];
  batches: (TestBatch | Buffer)[];
  /** bytes cut from the end of the record set (a fetch limit splitting the last batch) */
  truncate?: number;
}

const zigzag32 = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0;

export function varint(n: number): Buffer {
  let v = zigzag32(n);
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

export function varlong(n: bigint): Buffer {
  let v = n >= 0n ? n << 1n : ((-n) << 1n) - 1n;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const int = (bytes: number, n: number | bigint): Buffer => {
  const b = Buffer.alloc(bytes);
  if (bytes === 1) b.writeInt8(Number(n));
  else if (bytes === 2) b.writeInt16BE(Number(n));
  else if (bytes === 4) b.writeInt32BE(Number(n));
  else b.writeBigInt64BE(BigInt(n));
  return b;
};
const varBytes = (b: Buffer | null): Buffer => (b === null ? varint(-1) : Buffer.concat([varint(b.length), b]));

export function encodeRecord(r: TestRecord): Buffer {
  const headers = r.headers ?? [];
  const body = Buffer.concat([
    int(1, r.attributes ?? 0),
    varlong(BigInt(r.timestampDelta)),
    varint(r.offsetDelta),
    varBytes(r.key),
    varBytes(r.value),
    varint(headers.length),
    ...headers.map(([k, v]) => Buffer.concat([varBytes(k === null ? null : Buffer.from(k)), varBytes(v)])),
  ]);
  return Buffer.concat([varint(body.length), body]);
}

export function encodeBatch(b: TestBatch): Buffer {
  const attributes = b.attributes ?? 0;
  let records = Buffer.concat(b.records.map(encodeRecord));
  if ((attributes & 7) === 1) records = gzipSync(records);
  const lastDelta = b.records.length === 0 ? 0 : Math.max(...b.records.map((r) => r.offsetDelta));
  const afterLength = Buffer.concat([
    int(4, 0), // partition leader epoch
    int(1, 2), // magic
    int(4, 0), // crc (kafkajs does not check it)
    int(2, attributes),
    int(4, lastDelta),
    int(8, b.firstTimestamp),
    int(8, b.maxTimestamp ?? b.firstTimestamp),
    int(8, b.producerId ?? -1n),
    int(2, b.producerEpoch ?? -1),
    int(4, -1), // first sequence
    int(4, b.countField ?? b.records.length),
    records,
  ]);
  return Buffer.concat([int(8, b.firstOffset), int(4, afterLength.length), afterLength]);
}

/** A control record batch (commit or abort marker) at `offset` for `producerId`. */
export function controlBatch(offset: bigint, producerId: bigint, commit: boolean, ts = 1_700_000_000_000n): TestBatch {
  const key = Buffer.from([0, 0, 0, commit ? 1 : 0]);
  const value = Buffer.from([0, 0, 0, 0, 0, 0]);
  return { firstOffset: offset, firstTimestamp: ts, attributes: 0x30, producerId, producerEpoch: 0, records: [{ offsetDelta: 0, timestampDelta: 0, key, value }] };
}

const str16 = (s: string): Buffer => Buffer.concat([int(2, Buffer.byteLength(s)), Buffer.from(s)]);

/** A whole Fetch response body (what kafkajs's `decode` receives) of `version` for one topic. */
export function fetchResponse(version: number, topic: string, partitions: TestPartition[]): Buffer {
  const parts = partitions.map((p) => {
    let set = Buffer.concat(p.batches.map((b) => (Buffer.isBuffer(b) ? b : encodeBatch(b))));
    if (p.truncate) set = set.subarray(0, set.length - p.truncate);
    const aborted = p.aborted ?? [];
    return Buffer.concat([
      int(4, p.partition),
      int(2, 0),
      int(8, p.highWatermark),
      int(8, p.highWatermark), // last stable offset
      ...(version >= 5 ? [int(8, 0n)] : []), // log start offset
      int(4, aborted.length),
      ...aborted.map((a) => Buffer.concat([int(8, a.producerId), int(8, a.firstOffset)])),
      ...(version >= 11 ? [int(4, -1)] : []),
      int(4, set.length),
      set,
    ]);
  });
  const head = version >= 7 ? [int(4, 0), int(2, 0), int(4, 0)] : [int(4, 0)];
  return Buffer.concat([...head, int(4, 1), str16(topic), int(4, partitions.length), ...parts]);
}

/** A value as text that shows key order, prototypes, Buffers (bytes) and functions, for exact comparison. */
export function canon(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `buf:${v.toString('hex')}`;
  if (typeof v === 'function') return `fn:${v.name}`;
  if (typeof v === 'bigint') return `big:${v}`;
  if (Array.isArray(v)) return v.map(canon);
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? 'Object' : 'other';
    return [proto, ...Object.keys(v).map((k) => [k, canon((v as Record<string, unknown>)[k])])];
  }
  return v;
}

/** A decode's result or its error as text. */
export async function outcome(decode: (raw: Buffer) => Promise<unknown>, raw: Buffer): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await decode(raw) };
  } catch (e) {
    return { ok: false, error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}
