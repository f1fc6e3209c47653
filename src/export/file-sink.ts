/**
 * Single-file output (`--out events.parquet`): events stream into one Parquet file as they arrive
 * (chunks of 65,536 rows handed to a writer thread, at most two in flight, so memory stays flat whatever
 * the input size and encoding runs beside reading and normalising); the
 * file is renamed into place only when the source ended cleanly. Price logs (usually few) are held and
 * written beside it at the end; dead letters stream to a temporary file renamed at the end.
 * The events file is written under a staging name and renamed here, only after a clean end: the
 * streaming writer (io/parquet.ts, parquet-wasm) finishes a file normally when its input stream fails
 * part-way, so its own rename cannot be trusted to mean "complete".
 */
import { rm } from 'node:fs/promises';
import type { EventRow } from '../events/normalise.js';
import { EventsBuilder, type EventsTable } from '../events/table.js';
import { commitTemp, tempPathFor } from '../io/atomic.js';
import type { RawRecord } from '../sources/types.js';
import { DeadLetterFile } from './dead-letters.js';
import type { OutputLayout } from './layout.js';
import { PriceBuilder, type PriceRow, writePriceLogs } from './price-logs.js';
import type { ExportSink, RollResult } from './sink.js';
import type { SinkOptions } from './types.js';
import { WorkerEventsWriter } from '../events/worker-writer.js';

const CHUNK_ROWS = 65_536;

export class FileSink implements ExportSink {
  readonly rolls = false;
  readonly pending = 0;
  readonly pendingSince = null;
  private builder = new EventsBuilder(CHUNK_ROWS);
  private readonly full: EventsTable[] = [];
  private readonly writer: WorkerEventsWriter;
  private readonly prices = new PriceBuilder();
  private deadLines: string[] = [];
  private readonly dead: DeadLetterFile;
  private pushed = false;
  private readonly staging: string;

  constructor(
    private readonly layout: OutputLayout,
    private readonly opts: SinkOptions,
    private readonly withPrices: boolean,
  ) {
    this.dead = new DeadLetterFile(layout.deadLetter);
    const { compression, rowGroupSize, metadata } = opts;
    this.staging = tempPathFor(layout.out);
    this.writer = new WorkerEventsWriter(this.staging, { compression, rowGroupSize, ...(metadata ? { metadata } : {}) });
  }

  event(_lane: string, row: EventRow): void {
    this.builder.append(row);
    if (this.builder.length >= CHUNK_ROWS) this.full.push(this.builder.flush());
  }

  price(_lane: string, row: PriceRow, record: RawRecord): void {
    this.prices.append(row, record);
  }

  deadLetter(_lane: string, line: string): void {
    this.deadLines.push(line);
  }

  dropLanes(): number {
    return 0; // no group, no rebalance: a single file is never split across consumers
  }

  async afterBatch(): Promise<void> {
    for (const chunk of this.full.splice(0)) await this.push(chunk);
    if (this.deadLines.length >= 1000) await this.flushDead();
  }

  roll(): Promise<RollResult> {
    return Promise.resolve({ files: [], eventRows: 0, priceRows: 0, deadLines: 0 });
  }

  async finish(): Promise<RollResult> {
    await this.afterBatch();
    if (this.builder.length > 0 || !this.pushed) await this.push(this.builder.flush());
    const { rows } = await this.writer.finish(this.opts.finalMetadata?.() ?? {});
    const files = [this.layout.out];
    let priceRows = 0;
    if (this.withPrices) {
      const { compression, rowGroupSize, metadata } = this.opts;
      priceRows = await writePriceLogs(this.layout.priceFile, [this.prices], { compression, rowGroupSize, ...(metadata ? { metadata } : {}) });
      files.push(this.layout.priceFile);
    }
    // no events at all: an existing output stays as it was (the command reports exit 3)
    if (rows === 0 && priceRows === 0) await rm(this.staging, { force: true });
    else await commitTemp(this.staging, this.layout.out);
    await this.flushDead();
    await this.dead.finish();
    return { files: rows === 0 && priceRows === 0 ? [] : files, eventRows: rows, priceRows, deadLines: 0 };
  }

  published(): void {}

  async abort(): Promise<void> {
    await this.writer.abort();
    await rm(this.staging, { force: true });
    await this.dead.abort();
  }

  deadLetterFile(): string | null {
    return this.dead.lines > 0 ? this.dead.path : null;
  }

  private async push(chunk: EventsTable): Promise<void> {
    this.pushed = true;
    this.opts.onEventsChunk?.(chunk);
    await this.writer.push(chunk);
  }

  private async flushDead(): Promise<void> {
    const lines = this.deadLines;
    this.deadLines = [];
    await this.dead.write(lines);
  }
}
