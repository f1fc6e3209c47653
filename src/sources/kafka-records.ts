/**
 * Turn one fetched Kafka batch into raw records with provenance, applying the batch end (high
 * watermark at start), the `--since`/`--until` window on record timestamps and `--max-messages`.
 * Pure: no client, no clock.
 */
import { isUtf8 } from 'node:buffer';
import type { RawRecord } from './types.js';

/** The fields of a kafkajs message that a source reads. */
export interface KafkaMessageLike {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface RecordWindow {
  /** Records older than this (epoch ms) are consumed but not delivered. */
  sinceMs?: number;
  /** The first record at or after this (epoch ms) ends its partition: it is neither delivered nor consumed. */
  untilMs?: number;
  /** Offsets at or past this end the partition (batch mode: high watermark at start); null = no end. */
  endOffset: number | null;
  /** How many more records may be delivered (Infinity = no limit). */
  remaining: number;
}

export interface TakenRecords {
  records: RawRecord[];
  /** Offset of the last consumed message (delivered or skipped as too old), or null if none. */
  lastConsumed: string | null;
  /** Next offset to read (= the commit position) after this batch; `start` when nothing was consumed. */
  next: number;
  /** The partition is finished: end offset or `--until` reached. */
  ended: boolean;
  /** The delivery limit was reached inside this batch. */
  limitHit: boolean;
}

/**
 * Select the records of one batch. Windows are half-open: since ≤ timestamp < until.
 * @example takeRecords('t', 0, msgs, 0, { endOffset: 10, remaining: Infinity })
 */
export function takeRecords(
  topic: string,
  partition: number,
  messages: readonly KafkaMessageLike[],
  start: number,
  w: RecordWindow,
): TakenRecords {
  const records: RawRecord[] = [];
  const since = w.sinceMs ?? -Infinity;
  const until = w.untilMs ?? Infinity;
  const end = w.endOffset ?? Infinity;
  let next = start;
  let lastConsumed: string | null = null;
  let ended = false;
  let limitHit = w.remaining <= 0;
  for (let i = 0; i < messages.length && !limitHit; i++) {
    const m = messages[i]!;
    const offset = Number(m.offset);
    const timestamp = Number(m.timestamp);
    if (offset >= end || timestamp >= until) {
      ended = true;
      break;
    }
    next = offset + 1;
    lastConsumed = m.offset;
    if (timestamp < since) continue;
    records.push({
      // bytes that are not UTF-8 stay bytes: normalise dead-letters them, the dead letter keeps them (base64)
      value: m.value === null ? null : isUtf8(m.value) ? m.value.toString('utf8') : m.value,
      key: m.key === null ? null : m.key.toString('utf8'),
      provenance: { topic, partition, offset, timestamp },
    });
    if (records.length >= w.remaining) limitHit = true;
  }
  if (next >= end) ended = true;
  return { records, lastConsumed, next, ended, limitHit };
}
