/**
 * Raw record → normalised event row (docs/contract.md §3) or a typed rejection reason.
 * Accepts the flat event and the Kafka-console envelope; every source goes through here, so every
 * source dead-letters alike. Unknown event names are kept (they are counted downstream, never dropped).
 */
import type { RawRecord } from './raw-record.js';
import type { RequestFields } from './request-columns.js';
import { METADATA_LIMITS, parseBoundedJson, RECORD_LIMITS, stringifyBounded, valueDepth } from './bounded-json.js';
import { inEventRange, MAX_ABS_EVENT_MS, parseTimestampMs } from '../io/timestamp.js';

/**
 * Why a record was rejected; `wrong_type:<field>` names the offending field. `too_large` / `too_deep`:
 * the record or its metadata is beyond the limits of bounded-json.ts; `invalid_utf8`: binary bytes.
 */
export type RejectReason =
  | 'invalid_json'
  | 'invalid_utf8'
  | 'too_large'
  | 'too_deep'
  | 'not_an_object'
  | 'missing_session_id'
  | 'missing_event_name'
  | 'bad_timestamp'
  | `wrong_type:${string}`;

/** One normalised event: the columns of `events.parquet`. Times are epoch ms; null where absent. */
export interface EventRow {
  sessionId: string;
  experimentId: string | null;
  ts: number;
  eventName: string;
  page: string | null;
  productId: string | null;
  storeMode: string | null;
  price: number | null;
  dwellMs: number | null;
  userAgent: string | null;
  metadata: string | null;
  isAgent: boolean | null;
  srcTopic: string | null;
  srcPartition: number | null;
  srcOffset: number | null;
  srcTs: number | null;
  /** request columns (access-log sources only; docs/access-logs.md) */
  request?: RequestFields;
  /**
   * A small integer naming `sessionId` one-to-one for the whole export, from a source that numbers its
   * sessions (access logs): counts and the events builder then index arrays instead of hashing the id.
   */
  sessionOrdinal?: number;
  /** A Kafka-console envelope's own partitionID and offset; never used for bookkeeping (src_* are the transport's). */
  originPartition?: number | null;
  originOffset?: number | null;
}

export type NormaliseResult =
  | { ok: true; row: EventRow; tsFromBroker: boolean }
  | { ok: false; reason: RejectReason; detail: string };

export interface NormaliseOptions {
  /** Label for every record (`--label human|agent`), used when the record carries no `is_agent`. */
  label?: boolean | null;
  /**
   * The value (not text) is known to nest at most this many levels (serve's body parser checked its
   * bytes): within the limits, the depth walks of the value and of its metadata are skipped.
   */
  depthWithin?: number;
}

const STRING_FIELDS = ['experimentId', 'page', 'productId', 'storeMode', 'userAgent'] as const;
const PRICE_KEYS = ['price', 'base_price'] as const;
const DWELL_KEYS = ['dwellTime', 'duration_ms'] as const;

/** A string field's value: null when absent, undefined when it has the wrong type. */
const optionalString = (v: unknown): string | null | undefined => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);

function wrongString(ev: Record<string, unknown>, f: (typeof STRING_FIELDS)[number]): Rejection {
  return reject(`wrong_type:${f}`, `${f} is ${typeof ev[f]}, expected string or null`);
}

type Rejection = Extract<NormaliseResult, { ok: false }>;

function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstFinite(meta: Record<string, unknown> | null, keys: readonly string[]): number | null {
  if (meta === null) return null;
  for (const k of keys) {
    const v = meta[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** An envelope's event and its own coordinates (kept as origin_*, never as provenance); a flat event passes through. */
type Unwrapped = { ok: true; event: unknown; partition?: number; offset?: number; ts?: number } | Rejection;

function unwrap(value: Record<string, unknown>): Unwrapped {
  const inner = value['value'];
  if (!('sessionId' in value) && isPlainObject(inner) && 'payload' in inner) {
    let event = inner['payload'];
    if (typeof event === 'string') {
      const parsed = parseBoundedJson(event, RECORD_LIMITS, 'envelope payload');
      if (!parsed.ok) return reject(parsed.reason, parsed.detail);
      event = parsed.value;
    }
    const ts = value['timestamp'] === undefined ? NaN : parseTimestampMs(value['timestamp']);
    return {
      ok: true,
      event,
      ...(Number.isSafeInteger(value['partitionID']) ? { partition: value['partitionID'] as number } : {}),
      ...(Number.isSafeInteger(value['offset']) ? { offset: value['offset'] as number } : {}),
      ...(inEventRange(ts) ? { ts } : {}),
    };
  }
  return { ok: true, event: value };
}

/** Metadata → its JSON text (null when absent), or why it is rejected. Non-object metadata is rejected, never dropped. */
function metadataText(raw: unknown, depthWithin: number): { ok: true; text: string | null; meta: Record<string, unknown> | null } | Rejection {
  if (raw === undefined || raw === null) return { ok: true, text: null, meta: null };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    if (raw.trim() === '') return { ok: true, text: null, meta: null };
    const parsed = parseBoundedJson(raw, METADATA_LIMITS, 'metadata');
    if (!parsed.ok) return parsed.reason === 'invalid_json' ? reject('wrong_type:metadata', 'metadata is a string that is not JSON') : reject(parsed.reason, parsed.detail);
    value = parsed.value;
  }
  if (!isPlainObject(value)) return reject('wrong_type:metadata', `metadata is ${Array.isArray(value) ? 'an array' : typeof value}, expected an object`);
  // a bound known for the event object holds for the object inside it, not for text parsed here
  const text = stringifyBounded(value, METADATA_LIMITS, 'metadata', value === raw ? depthWithin : Infinity);
  if (!text.ok) return reject(text.reason, text.detail);
  return { ok: true, text: text.text, meta: value };
}

/**
 * Normalise one raw record.
 * @example normalise({ value: '{"sessionId":"s1","eventName":"page_view","ts":1700000000000}', provenance })
 */
export function normalise(record: RawRecord, options: NormaliseOptions = {}): NormaliseResult {
  let value = record.value;
  const within = options.depthWithin ?? Infinity;
  if (value instanceof Uint8Array) return reject('invalid_utf8', `value is ${value.length} bytes that are not UTF-8 text`);
  if (typeof value === 'string') {
    const parsed = parseBoundedJson(value, RECORD_LIMITS);
    if (!parsed.ok) return reject(parsed.reason, parsed.detail);
    value = parsed.value;
  } else if (within > RECORD_LIMITS.maxDepth && valueDepth(value, RECORD_LIMITS.maxDepth) > RECORD_LIMITS.maxDepth) return reject('too_deep', `value nests more than ${RECORD_LIMITS.maxDepth} levels`);
  if (!isPlainObject(value)) return reject('not_an_object', `value is ${Array.isArray(value) ? 'an array' : typeof value}`);
  const env = unwrap(value);
  if (!env.ok) return env;
  if (!isPlainObject(env.event)) return reject('not_an_object', 'envelope payload is not an object');
  const ev = env.event;

  const sid = ev['sessionId'];
  if (sid === undefined || sid === null || sid === '') return reject('missing_session_id', 'sessionId is missing or empty');
  if (typeof sid !== 'string') return reject('wrong_type:sessionId', `sessionId is ${typeof sid}, expected string`);
  const name = ev['eventName'];
  if (name === undefined || name === null || name === '') return reject('missing_event_name', 'eventName is missing or empty');
  if (typeof name !== 'string') return reject('wrong_type:eventName', `eventName is ${typeof name}, expected string`);

  // the optional string fields, in STRING_FIELDS order (the first of the wrong type is the one named)
  const experimentId = optionalString(ev['experimentId']);
  if (experimentId === undefined) return wrongString(ev, 'experimentId');
  const page = optionalString(ev['page']);
  if (page === undefined) return wrongString(ev, 'page');
  const productId = optionalString(ev['productId']);
  if (productId === undefined) return wrongString(ev, 'productId');
  const storeMode = optionalString(ev['storeMode']);
  if (storeMode === undefined) return wrongString(ev, 'storeMode');
  const ua = optionalString(ev['userAgent']);
  if (ua === undefined) return wrongString(ev, 'userAgent');

  // the metadata of an event given as a value nests one level less than it (an envelope's payload may be parsed text: no bound)
  const metadata = metadataText(ev['metadata'], ev === record.value ? within - 1 : Infinity);
  if (!metadata.ok) return metadata;
  const meta = metadata.meta;

  const prov = record.provenance;
  const brokerTs = env.ts ?? (prov.timestamp !== null && inEventRange(prov.timestamp) ? prov.timestamp : null);
  let ts: number;
  let tsFromBroker = false;
  if (ev['ts'] === undefined || ev['ts'] === null) {
    if (brokerTs === null || brokerTs === undefined) return reject('bad_timestamp', 'ts is missing and the record has no broker timestamp');
    ts = brokerTs;
    tsFromBroker = true;
  } else {
    if (typeof ev['ts'] !== 'string' && typeof ev['ts'] !== 'number') return reject('wrong_type:ts', `ts is ${typeof ev['ts']}`);
    ts = parseTimestampMs(ev['ts']);
    if (!Number.isFinite(ts)) return reject('bad_timestamp', `cannot parse ts ${JSON.stringify(ev['ts']).slice(0, 60)}`);
    if (!inEventRange(ts)) return reject('bad_timestamp', `ts ${JSON.stringify(ev['ts']).slice(0, 60)} is more than 10,000 years (${MAX_ABS_EVENT_MS} ms) from 1970`);
  }

  const labelField = ev['is_agent'];
  let isAgent: boolean | null = options.label ?? null;
  if (typeof labelField === 'boolean') isAgent = labelField;
  else if (labelField !== undefined && labelField !== null) return reject('wrong_type:is_agent', 'is_agent is not a boolean');

  const row: EventRow = {
    sessionId: sid,
    experimentId,
    ts,
    eventName: name,
    page,
    productId,
    storeMode,
    price: firstFinite(meta, PRICE_KEYS),
    dwellMs: firstFinite(meta, DWELL_KEYS),
    userAgent: ua === null || ua.trim() === '' ? null : ua,
    metadata: metadata.text,
    isAgent,
    srcTopic: prov.topic,
    srcPartition: prov.partition,
    srcOffset: prov.offset,
    srcTs: prov.timestamp ?? env.ts ?? null,
  };
  // set only when the envelope has them (appended last, as the row's keys always were): no spread per row
  if (env.partition !== undefined) row.originPartition = env.partition;
  if (env.offset !== undefined) row.originOffset = env.offset;
  return { ok: true, tsFromBroker, row };
}
