/**
 * Directory output: rows are held per lane (Kafka partition) and per `--partition-by` folder until a
 * roll, which appends the dead letters, then writes one part file per (table, folder), each renamed into
 * place atomically with its `phantom.src_ranges` footer (the offsets it holds). Holding per lane lets
 * the export give up exactly the rows of a partition a rebalance moved away.
 */
import type { EventRow } from '../events/normalise.js';
import { writeEventsParquet } from '../events/events-parquet.js';
import { EventsBuilder } from '../events/table.js';
import type { RawRecord } from '../sources/types.js';
import { DeadLetterFile } from './dead-letters.js';
import { partitionFolder, partPath } from './layout.js';
import { PriceBuilder, type PriceRow, writePriceLogs } from './price-logs.js';
import type { ExportSink, RollResult } from './sink.js';
import { eventRanges, SRC_RANGES_KEY } from './src-ranges.js';
import type { SinkOptions } from './types.js';

interface LaneBuffers {
  events: Map<string, EventsBuilder>;
  prices: Map<string, PriceBuilder>;
  dead: string[];
  held: number;
}

const DAY_MS = 86_400_000;

export class RollingSink implements ExportSink {
  readonly rolls = true;
  pending = 0;
  pendingSince: number | null = null;
  private lanes = new Map<string, LaneBuffers>();
  private seq = 0;
  private readonly dead: DeadLetterFile;
  private readonly dayFolders = new Map<number, string>();

  constructor(
    private readonly dir: string,
    private readonly run: string,
    private readonly opts: SinkOptions,
    deadLetterPath: string,
    private readonly now: () => number,
  ) {
    this.dead = new DeadLetterFile(deadLetterPath, 'append');
  }

  event(lane: string, row: EventRow): void {
    const buffers = this.hold(lane);
    const folder = this.folder(row.ts, row.srcPartition);
    let b = buffers.events.get(folder);
    if (b === undefined) buffers.events.set(folder, (b = new EventsBuilder(1024)));
    b.append(row);
  }

  price(lane: string, row: PriceRow, record: RawRecord): void {
    const buffers = this.hold(lane);
    const folder = this.folder(row.ts, record.provenance.partition);
    let b = buffers.prices.get(folder);
    if (b === undefined) buffers.prices.set(folder, (b = new PriceBuilder()));
    b.append(row, record);
  }

  deadLetter(lane: string, line: string): void {
    this.hold(lane).dead.push(line);
  }

  dropLanes(lanes: readonly string[]): number {
    let rows = 0;
    for (const lane of lanes) {
      const b = this.lanes.get(lane);
      if (b === undefined) continue;
      rows += b.held - b.dead.length;
      this.pending -= b.held;
      this.lanes.delete(lane);
    }
    if (this.pending === 0) this.pendingSince = null;
    return rows;
  }

  async afterBatch(): Promise<void> {}

  async roll(): Promise<RollResult> {
    const lanes = [...this.lanes.values()];
    this.lanes = new Map();
    this.pending = 0;
    this.pendingSince = null;
    const result: RollResult = { files: [], eventRows: 0, priceRows: 0 };
    await this.dead.write(lanes.flatMap((l) => l.dead));
    const { compression, rowGroupSize } = this.opts;
    for (const [folder, builders] of group(lanes.map((l) => l.events))) {
      const tables = builders.map((b) => b.flush());
      const path = partPath(this.dir, 'events', folder, this.run, ++this.seq);
      const metadata = { ...this.opts.metadata, [SRC_RANGES_KEY]: JSON.stringify(tables.flatMap(eventRanges)) };
      result.eventRows += (await writeEventsParquet(path, tables, { compression, rowGroupSize, metadata })).rows;
      result.files.push(path);
    }
    for (const [folder, builders] of group(lanes.map((l) => l.prices))) {
      const path = partPath(this.dir, 'prices', folder, this.run, ++this.seq);
      const metadata = { ...this.opts.metadata, [SRC_RANGES_KEY]: JSON.stringify(builders.flatMap((b) => b.ranges())) };
      result.priceRows += await writePriceLogs(path, builders, { compression, rowGroupSize, metadata });
      result.files.push(path);
    }
    return result;
  }

  finish(): Promise<RollResult> {
    return this.roll();
  }

  async abort(): Promise<void> {
    this.lanes.clear();
    await this.dead.abort();
  }

  deadLetterFile(): string | null {
    return this.dead.lines > 0 ? this.dead.path : null;
  }

  private hold(lane: string): LaneBuffers {
    let b = this.lanes.get(lane);
    if (b === undefined) this.lanes.set(lane, (b = { events: new Map(), prices: new Map(), dead: [], held: 0 }));
    b.held++;
    this.pending++;
    this.pendingSince ??= this.now();
    return b;
  }

  private folder(ts: number, srcPartition: number | null): string {
    if (this.opts.partitionBy !== 'date') return partitionFolder(this.opts.partitionBy, ts, srcPartition);
    const day = Math.floor(ts / DAY_MS);
    let f = this.dayFolders.get(day);
    if (f === undefined) this.dayFolders.set(day, (f = partitionFolder('date', ts, null)));
    return f;
  }
}

/** Builders of every lane, grouped by folder (folders sorted, so file order is stable). */
function group<B>(maps: Map<string, B>[]): [string, B[]][] {
  const out = new Map<string, B[]>();
  for (const m of maps) for (const [folder, b] of m) (out.get(folder) ?? out.set(folder, []).get(folder)!).push(b);
  return [...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
