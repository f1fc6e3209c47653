/**
 * events.parquet read/write: the events table streamed through Parquet with SPEC §1.3's schema and
 * key/value metadata (schema version, the command line, counts).
 */
import { readParquet, writeParquet, type CompressionName } from '../io/parquet.js';
import { EVENTS_SCHEMA_VERSION, eventsFromArrow, eventsToBatch } from './arrow.js';
import type { EventsTable } from './table.js';

export interface EventsWriteOptions {
  compression?: CompressionName;
  rowGroupSize?: number;
  /** extra key/value metadata (e.g. `phantom.generate.seed`) */
  metadata?: Record<string, string>;
}

/** The command line as recorded in file metadata (secrets never appear: they come from env vars). */
export function commandLine(): string {
  return ['phantom', ...process.argv.slice(2)].join(' ');
}

/**
 * Write chunks of events to one Parquet file atomically; each chunk becomes one record batch.
 * Metadata `phantom.rows` / `phantom.sessions` are counted as the chunks pass.
 * @example await writeEventsParquet('events.parquet', chunks, { compression: 'zstd' })
 */
export async function writeEventsParquet(path: string, chunks: AsyncIterable<EventsTable> | Iterable<EventsTable>, opts: EventsWriteOptions = {}): Promise<{ rows: number; sessions: number }> {
  const sessions = new Set<string>();
  let rows = 0;
  async function* batches() {
    for await (const chunk of chunks) {
      rows += chunk.length;
      for (const s of chunk.sessionId.dict) sessions.add(s);
      yield eventsToBatch(chunk);
    }
  }
  await writeParquet(path, batches(), {
    compression: opts.compression ?? 'zstd',
    rowGroupSize: opts.rowGroupSize ?? 250_000,
    metadata: { 'phantom.schema_version': EVENTS_SCHEMA_VERSION, 'phantom.kind': 'events', 'phantom.command': commandLine(), ...opts.metadata },
    finalMetadata: () => ({ 'phantom.rows': String(rows), 'phantom.sessions': String(sessions.size) }),
  });
  return { rows, sessions: sessions.size };
}

/** Read an events Parquet file into the columnar events table. */
export async function readEventsParquet(path: string): Promise<EventsTable> {
  return eventsFromArrow(await readParquet(path));
}
