/**
 * What every source (Kafka, Postgres, PostgREST, files, access logs) yields: raw records with their
 * provenance, before normalising. Defined here, beside `normalise.ts`, so the events layer needs nothing
 * from the sources above it; `src/sources/types.ts` re-exports them.
 */
import type { EventRow } from './normalise.js';

/** A record a source parsed itself: the row, or why the record was rejected (a dead-letter reason). */
export type ParsedRecord = { ok: true; row: EventRow; tsFromBroker: boolean } | { ok: false; reason: string; detail: string };

export interface Provenance {
  /** Kafka topic, table name, or file path. */
  topic: string | null;
  /** Kafka partition; null for other sources. */
  partition: number | null;
  /** Kafka offset, row number (Postgres) or 0-based record index within the file. */
  offset: number | null;
  /** Broker/record timestamp in epoch ms, when the source has one. */
  timestamp: number | null;
}

export interface RawRecord {
  /** Set by sources that parse records themselves (access logs): the result `normalise` would give. */
  parsed?: ParsedRecord;
  /** A JSON text (Kafka value, JSON-lines line) or an already-parsed value (CSV row, Postgres row, array element). */
  value: string | unknown;
  /** The Kafka key as text, when there is one. */
  key?: string | null;
  provenance: Provenance;
}

export type RawBatch = RawRecord[];
