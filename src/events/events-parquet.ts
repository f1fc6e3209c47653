/**
 * events.parquet read/write: the events table streamed through Parquet with docs/contract.md §3's schema and
 * key/value metadata (schema version, the command line, counts). Writing encodes row groups directly
 * from the typed arrays (events-row-group.ts); reading goes through parquet-wasm and Arrow.
 */
import type { CompressionName } from '../io/parquet.js';
import { parquetCodec } from '../io/parquet-codecs.js';
import { ParquetFileWriter } from '../io/parquet-file-writer.js';
import { EVENTS_SCHEMA_VERSION, eventsFromArrow } from './arrow.js';
import { type EncodedRowGroup, encodeEventsRowGroup, eventsArrowSchema, eventsParquetSchema, rowGroupParts } from './events-row-group.js';
import type { EventsTable } from './table.js';
import { commandLine } from '../io/provenance.js';

export interface EventsWriteOptions {
  compression?: CompressionName;
  /** most rows per row group; each chunk is one row group, larger chunks are split (default 250,000) */
  rowGroupSize?: number;
  /** extra key/value metadata (e.g. `phantom.generate.seed`) */
  metadata?: Record<string, string>;
  /** key/value metadata read only after the last chunk (its holder may fill it while chunks stream) */
  finalMetadata?: Record<string, string>;
}

export { commandLine } from '../io/provenance.js';

/**
 * Writes events.parquet from row groups encoded beforehand (on this thread or another), in the order
 * appended, under a temporary name renamed into place by `finish` (io/parquet-file-writer.ts). Calls must
 * not overlap. The same row groups and metadata give byte-identical files.
 * @example const w = await EventsParquetFileWriter.open('events.parquet', { metadata: { 'phantom.generate.seed': '1' } });
 * await w.appendRowGroup(encodeEventsRowGroup(table, codec)); await w.finish({ 'phantom.sessions': '12' })
 */
export class EventsParquetFileWriter {
  /** whether the row groups carry request columns: fixed by the first one */
  private withRequests: boolean | null = null;

  private constructor(private readonly file: ParquetFileWriter, private readonly metadata: Record<string, string>) {}

  get path(): string {
    return this.file.path;
  }

  /** Create the temporary file beside `path` (and missing folders) and write the leading magic. */
  static async open(path: string, opts: { metadata?: Record<string, string> } = {}): Promise<EventsParquetFileWriter> {
    const metadata = { 'phantom.schema_version': EVENTS_SCHEMA_VERSION, 'phantom.kind': 'events', 'phantom.command': commandLine(), ...opts.metadata };
    return new EventsParquetFileWriter(await ParquetFileWriter.open(path), metadata);
  }

  /** Append one encoded row group; its column offsets are shifted to where it lands. */
  async appendRowGroup(rg: EncodedRowGroup): Promise<void> {
    if (this.withRequests !== null && this.withRequests !== rg.withRequests) throw new Error('events row groups with and without request columns cannot share a file');
    this.withRequests = rg.withRequests;
    await this.file.appendRowGroup(rg);
  }

  /**
   * Write the footer — metadata given at `open`, `ARROW:schema`, `phantom.rows`, then `final` (values known
   * only now, e.g. `phantom.sessions`) — and rename the file into place. Returns the rows written.
   */
  async finish(final: Record<string, string> = {}): Promise<{ rows: number }> {
    const kv = { ...this.metadata, 'ARROW:schema': eventsArrowSchema(this.withRequests === true), 'phantom.rows': String(this.file.rows), ...final };
    const { rows } = await this.file.finish(eventsParquetSchema(this.withRequests === true), Object.entries(kv));
    return { rows };
  }

  /** Stop: close and remove the temporary file; nothing lands under the final name. */
  async abort(): Promise<void> {
    await this.file.abort();
  }
}

/**
 * Write chunks of events to one Parquet file atomically; each chunk becomes one row group (split when
 * longer than `rowGroupSize`). Metadata `phantom.rows` / `phantom.sessions` are counted as the chunks pass.
 * @example await writeEventsParquet('events.parquet', chunks, { compression: 'zstd' })
 */
export async function writeEventsParquet(path: string, chunks: AsyncIterable<EventsTable> | Iterable<EventsTable>, opts: EventsWriteOptions = {}): Promise<{ rows: number; sessions: number }> {
  const codec = await parquetCodec(opts.compression ?? 'zstd');
  const maxRows = opts.rowGroupSize ?? 250_000;
  const sessions = new Set<string>();
  const writer = await EventsParquetFileWriter.open(path, opts.metadata ? { metadata: opts.metadata } : {});
  try {
    for await (const chunk of chunks) {
      for (const s of chunk.sessionId.dict) sessions.add(s);
      for (const part of rowGroupParts(chunk, maxRows)) await writer.appendRowGroup(encodeEventsRowGroup(part, codec));
    }
    const { rows } = await writer.finish({ 'phantom.sessions': String(sessions.size), ...opts.finalMetadata });
    return { rows, sessions: sessions.size };
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/** Read an events Parquet file into the columnar events table. */
export async function readEventsParquet(path: string): Promise<EventsTable> {
  // loaded here, not at the top: the Parquet writer thread imports this module and never reads, so it
  // does not pay for parquet-wasm (~0.15 s CPU per export)
  const { readParquet } = await import('../io/parquet.js');
  return eventsFromArrow(await readParquet(path));
}
