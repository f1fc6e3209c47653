/**
 * events.parquet read/write: the events table streamed through Parquet with docs/contract.md §3's schema and
 * key/value metadata (schema version, the command line, counts). Writing encodes row groups directly
 * from the typed arrays (events-row-group.ts); reading goes through parquet-wasm and Arrow.
 */
import { type FileHandle, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commitTemp, tempPathFor } from '../io/atomic.js';
import type { CompressionName } from '../io/parquet.js';
import { parquetCodec } from '../io/parquet-codecs.js';
import { encodeFileMetaData, type RowGroupMetaData } from '../io/parquet-thrift.js';
import { EVENTS_SCHEMA_VERSION, eventsFromArrow } from './arrow.js';
import { type EncodedRowGroup, encodeEventsRowGroup, eventsArrowSchema, eventsParquetSchema, rowGroupParts } from './events-row-group.js';
import type { EventsTable } from './table.js';
import { commandLine } from '../io/provenance.js';
import { ensureDir } from '../io/ensure-dir.js';

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

const MAGIC = Buffer.from('PAR1', 'latin1');

/**
 * Writes events.parquet from row groups encoded beforehand (on this thread or another), in the order
 * appended, under a temporary name renamed into place by `finish`. Calls must not overlap. The same row
 * groups and metadata give byte-identical files.
 * @example const w = await EventsParquetFileWriter.open('events.parquet', { metadata: { 'phantom.generate.seed': '1' } });
 * await w.appendRowGroup(encodeEventsRowGroup(table, codec)); await w.finish({ 'phantom.sessions': '12' })
 */
export class EventsParquetFileWriter {
  private offset = MAGIC.length;
  private rows = 0;
  private readonly rowGroups: RowGroupMetaData[] = [];
  private closed = false;
  /** whether the row groups carry request columns: fixed by the first one */
  private withRequests: boolean | null = null;

  private constructor(readonly path: string, private readonly tmp: string, private readonly fh: FileHandle, private readonly metadata: Record<string, string>) {}

  /** Create the temporary file beside `path` (and missing folders) and write the leading magic. */
  static async open(path: string, opts: { metadata?: Record<string, string> } = {}): Promise<EventsParquetFileWriter> {
    await ensureDir(dirname(path));
    const tmp = tempPathFor(path);
    const fh = await open(tmp, 'w');
    const metadata = { 'phantom.schema_version': EVENTS_SCHEMA_VERSION, 'phantom.kind': 'events', 'phantom.command': commandLine(), ...opts.metadata };
    const w = new EventsParquetFileWriter(path, tmp, fh, metadata);
    await w.guard(() => fh.writeFile(MAGIC));
    return w;
  }

  /** Append one encoded row group; its column offsets are shifted to where it lands. */
  async appendRowGroup(rg: EncodedRowGroup): Promise<void> {
    if (this.withRequests !== null && this.withRequests !== rg.withRequests) throw new Error('events row groups with and without request columns cannot share a file');
    this.withRequests = rg.withRequests;
    await this.guard(() => this.fh.writeFile(rg.bytes));
    const base = this.offset;
    const columns = rg.columns.map((c) => ({
      ...c,
      dataPageOffset: c.dataPageOffset + base,
      ...(c.dictionaryPageOffset === undefined ? {} : { dictionaryPageOffset: c.dictionaryPageOffset + base }),
    }));
    const size = (key: 'totalUncompressedSize' | 'totalCompressedSize'): number => columns.reduce((s, c) => s + c[key], 0);
    this.rowGroups.push({ columns, totalByteSize: size('totalUncompressedSize'), numRows: rg.numRows, fileOffset: base, totalCompressedSize: size('totalCompressedSize'), ordinal: this.rowGroups.length });
    this.offset += rg.bytes.length;
    this.rows += rg.numRows;
  }

  /**
   * Write the footer — metadata given at `open`, `ARROW:schema`, `phantom.rows`, then `final` (values known
   * only now, e.g. `phantom.sessions`) — and rename the file into place. Returns the rows written.
   */
  async finish(final: Record<string, string> = {}): Promise<{ rows: number }> {
    const kv = { ...this.metadata, 'ARROW:schema': eventsArrowSchema(this.withRequests === true), 'phantom.rows': String(this.rows), ...final };
    const footer = encodeFileMetaData({ schema: eventsParquetSchema(this.withRequests === true), numRows: this.rows, rowGroups: this.rowGroups, keyValueMetadata: Object.entries(kv), createdBy: 'phantom' });
    const tail = Buffer.alloc(footer.length + 8);
    tail.set(footer, 0);
    tail.writeUInt32LE(footer.length, footer.length);
    MAGIC.copy(tail, footer.length + 4);
    await this.guard(async () => {
      await this.fh.writeFile(tail);
      this.closed = true;
      await this.fh.close();
      await commitTemp(this.tmp, this.path);
    });
    return { rows: this.rows };
  }

  /** Stop: close and remove the temporary file; nothing lands under the final name. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await rm(this.tmp, { force: true });
  }

  /** Run a file operation; on failure remove the temporary file and rethrow. */
  private async guard(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      await this.abort();
      throw err;
    }
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
