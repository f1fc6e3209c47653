/**
 * Raw record → normalised event row (SPEC §1.3) or a typed rejection reason.
 * Accepts the flat event and the Kafka-console envelope; every source goes through here, so every
 * source dead-letters alike. Unknown event names are kept (they are counted downstream, never dropped).
 */
import type { RawRecord } from '../sources/types.js';
import type { RequestFields } from './request-columns.js';
import { parseTimestampMs } from './timestamp.js';

/** Why a record was rejected; `wrong_type:<field>` names the offending field. */
export type RejectReason =
  | 'invalid_json'
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
}

export type NormaliseResult =
  | { ok: true; row: EventRow; tsFromBroker: boolean }
  | { ok: false; reason: RejectReason; detail: string };

export interface NormaliseOptions {
  /** Label for every record (`--label human|agent`), used when the record carries no `is_agent`. */
  label?: boolean | null;
}

const STRING_FIELDS = ['experimentId', 'page', 'productId', 'storeMode', 'userAgent'] as const;

function reject(reason: RejectReason, detail: string): NormaliseResult {
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

/** Parse JSON text; `undefined` when it is not valid JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Envelope → { event, provenance overrides }; a flat event passes through unchanged. */
function unwrap(value: Record<string, unknown>): { event: unknown; partition?: number; offset?: number; ts?: number; topic?: string } {
  const inner = value['value'];
  if (!('sessionId' in value) && isPlainObject(inner) && 'payload' in inner) {
    let event = inner['payload'];
    if (typeof event === 'string') event = parseJson(event);
    const ts = value['timestamp'] === undefined ? NaN : parseTimestampMs(value['timestamp']);
    return {
      event,
      ...(typeof value['partitionID'] === 'number' ? { partition: value['partitionID'] } : {}),
      ...(typeof value['offset'] === 'number' ? { offset: value['offset'] } : {}),
      ...(Number.isFinite(ts) ? { ts } : {}),
      ...(typeof value['topic'] === 'string' ? { topic: value['topic'] } : {}),
    };
  }
  return { event: value };
}

/**
 * Normalise one raw record.
 * @example normalise({ value: '{"sessionId":"s1","eventName":"page_view","ts":1700000000000}', provenance })
 */
export function normalise(record: RawRecord, options: NormaliseOptions = {}): NormaliseResult {
  let value = record.value;
  if (typeof value === 'string') {
    value = parseJson(value);
    if (value === undefined) return reject('invalid_json', 'value is not valid JSON');
  }
  if (!isPlainObject(value)) return reject('not_an_object', `value is ${Array.isArray(value) ? 'an array' : typeof value}`);
  const env = unwrap(value);
  if (env.event === undefined) return reject('invalid_json', 'envelope payload is not valid JSON');
  if (!isPlainObject(env.event)) return reject('not_an_object', 'envelope payload is not an object');
  const ev = env.event;

  const sid = ev['sessionId'];
  if (sid === undefined || sid === null || sid === '') return reject('missing_session_id', 'sessionId is missing or empty');
  if (typeof sid !== 'string') return reject('wrong_type:sessionId', `sessionId is ${typeof sid}, expected string`);
  const name = ev['eventName'];
  if (name === undefined || name === null || name === '') return reject('missing_event_name', 'eventName is missing or empty');
  if (typeof name !== 'string') return reject('wrong_type:eventName', `eventName is ${typeof name}, expected string`);

  const strings: Partial<Record<(typeof STRING_FIELDS)[number], string | null>> = {};
  for (const f of STRING_FIELDS) {
    const v = ev[f];
    if (v === undefined || v === null) strings[f] = null;
    else if (typeof v === 'string') strings[f] = v;
    else return reject(`wrong_type:${f}`, `${f} is ${typeof v}, expected string or null`);
  }

  let meta: Record<string, unknown> | null = null;
  let rawMeta = ev['metadata'];
  if (typeof rawMeta === 'string') rawMeta = rawMeta.trim() === '' ? null : parseJson(rawMeta);
  if (isPlainObject(rawMeta)) meta = rawMeta;
  else if (rawMeta !== undefined && rawMeta !== null) return reject('wrong_type:metadata', 'metadata is not an object');

  const prov = record.provenance;
  const brokerTs = env.ts ?? prov.timestamp;
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
  }

  const labelField = ev['is_agent'];
  let isAgent: boolean | null = options.label ?? null;
  if (typeof labelField === 'boolean') isAgent = labelField;
  else if (labelField !== undefined && labelField !== null) return reject('wrong_type:is_agent', 'is_agent is not a boolean');

  const ua = strings.userAgent ?? null;
  return {
    ok: true,
    tsFromBroker,
    row: {
      sessionId: sid,
      experimentId: strings.experimentId ?? null,
      ts,
      eventName: name,
      page: strings.page ?? null,
      productId: strings.productId ?? null,
      storeMode: strings.storeMode ?? null,
      price: firstFinite(meta, ['price', 'base_price']),
      dwellMs: firstFinite(meta, ['dwellTime', 'duration_ms']),
      userAgent: ua === null || ua.trim() === '' ? null : ua,
      metadata: meta === null ? null : JSON.stringify(meta),
      isAgent,
      srcTopic: env.topic ?? prov.topic,
      srcPartition: env.partition ?? prov.partition,
      srcOffset: env.offset ?? prov.offset,
      srcTs: brokerTs ?? null,
    },
  };
}
