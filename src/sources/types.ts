/**
 * What every source (Kafka, Postgres, PostgREST, files) yields: batches of raw records with provenance.
 * Parsing and validation happen later, in `src/events/normalise.ts`, so every source dead-letters alike.
 * The types live in `src/events/raw-record.ts` (the events layer reads them); this module names them for sources.
 */
export type { ParsedRecord, Provenance, RawBatch, RawRecord } from '../events/raw-record.js';
