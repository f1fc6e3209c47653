/**
 * Directory output: rows are held per lane (Kafka partition) and per `--partition-by` folder until a
 * roll, which stages one part file per (table, folder), each with its `phantom.src_ranges` footer (the
 * offsets it holds), plus the roll's dead letters, under `DIR/.staging/<roll id>/` (see staging.ts);
 * published, the dead letters become the roll's own file `<dead-letter folder>/<roll id>.jsonl`.
 * The export loop publishes a staged roll once its offsets are committed (at once without a group).
 * Holding per lane lets the export give up exactly the rows of a partition a rebalance moved away.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { EventRow } from '../events/normalise.js';
import { writeEventsParquet } from '../events/events-parquet.js';
import { EventsBuilder } from '../events/table.js';
import type { RawRecord } from '../sources/types.js';
import { partitionFolder, partPath } from './layout.js';
import { PriceBuilder, type PriceRow, writePriceLogs } from './price-logs.js';
import type { ExportSink, RollResult } from './sink.js';
import { eventRanges, SRC_RANGES_KEY } from './src-ranges.js';
import { rollId, type Staging } from './staging.js';
import type { SinkOptions, TopicPartition } from './types.js';

interface LaneBuffers {
  events: Map<string, EventsBuilder>;
  prices: Map<string, PriceBuilder>;
  dead: string[];
  held: number;
  /** Event rows held (what `ExportCounts.accepted` counted). */
  eventRows: number;
}

const DAY_MS = 86_400_000;

export class RollingSink implements ExportSink {
  readonly rolls = true;
  pending = 0;
  pendingSince: number | null = null;
  private lanes = new Map<string, LaneBuffers>();
  private seq = 0;
  private rollSeq = 0;
  private deadPublished = 0;
  private readonly dayFolders = new Map<number, string>();
  /** The staging folder of a roll being written (not sealed yet): removed if writing fails. */
  private unsealed: string | null = null;

  /**
   * @param deadLetterDir where each roll's dead letters land, as `<roll id>.jsonl`
   * @param group the consumer group a roll's offsets are committed to (null: no commit before publishing)
   */
  constructor(
    private readonly dir: string,
    private readonly run: string,
    private readonly opts: SinkOptions,
    private readonly deadLetterDir: string,
    private readonly now: () => number,
    private readonly staging: Staging,
    private readonly group: string | null,
  ) {}

  event(lane: string, row: EventRow): void {
    const buffers = this.hold(lane);
    const folder = this.folder(row.ts, row.srcPartition);
    let b = buffers.events.get(folder);
    if (b === undefined) buffers.events.set(folder, (b = new EventsBuilder(1024)));
    b.append(row);
    buffers.eventRows++;
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
      rows += b.eventRows;
      this.pending -= b.held;
      this.lanes.delete(lane);
    }
    if (this.pending === 0) this.pendingSince = null;
    return rows;
  }

  async afterBatch(): Promise<void> {}

  /**
   * Stage everything held as one roll; `lanes` are the partitions whose offsets the roll's commit moves.
   * Nothing is under a final name until the export loop publishes the roll.
   */
  async roll(lanes: readonly TopicPartition[] = []): Promise<RollResult> {
    const held = [...this.lanes];
    if (held.length === 0 && lanes.length === 0) return { files: [], eventRows: 0, priceRows: 0, deadLines: 0 };
    this.lanes = new Map();
    this.pending = 0;
    this.pendingSince = null;
    const laneRows = new Map(held.map(([lane, b]) => [lane, b.eventRows]));
    const buffers = held.map(([, b]) => b);
    const staged = await this.staging.begin(rollId(this.run, ++this.rollSeq));
    this.unsealed = staged.dir;
    const result: RollResult = { files: [], eventRows: 0, priceRows: 0, deadLines: 0, staged: { id: staged.id, laneRows } };
    const dead = buffers.flatMap((l) => l.dead);
    const deadLetter = dead.length > 0 ? join(this.deadLetterDir, `${staged.id}.jsonl`) : null;
    if (dead.length > 0) await writeFile(staged.deadChunk, dead.join(''));
    result.deadLines = dead.length;
    if (deadLetter !== null) result.deadLetterFile = deadLetter;
    const { compression, rowGroupSize } = this.opts;
    const rels: string[] = [];
    for (const [folder, builders] of group(buffers.map((l) => l.events))) {
      const tables = builders.map((b) => b.flush());
      const rel = relative(this.dir, partPath(this.dir, 'events', folder, this.run, ++this.seq));
      const metadata = { ...this.opts.metadata, ...this.opts.finalMetadata?.(), [SRC_RANGES_KEY]: JSON.stringify(tables.flatMap(eventRanges)) };
      result.eventRows += (await writeEventsParquet(staged.pathFor(rel), tables, { compression, rowGroupSize, metadata })).rows;
      rels.push(rel);
    }
    for (const [folder, builders] of group(buffers.map((l) => l.prices))) {
      const rel = relative(this.dir, partPath(this.dir, 'prices', folder, this.run, ++this.seq));
      const metadata = { ...this.opts.metadata, [SRC_RANGES_KEY]: JSON.stringify(builders.flatMap((b) => b.ranges())) };
      result.priceRows += await writePriceLogs(staged.pathFor(rel), builders, { compression, rowGroupSize, metadata });
      rels.push(rel);
    }
    await this.staging.seal(staged, { group: this.group, lanes: [...lanes], files: rels, deadLetter });
    this.unsealed = null;
    result.files = rels.map((rel) => join(this.dir, rel));
    return result;
  }

  finish(lanes: readonly TopicPartition[] = []): Promise<RollResult> {
    return this.roll(lanes);
  }

  /** The export loop published a roll with this many dead letters. */
  published(deadLines: number): void {
    this.deadPublished += deadLines;
  }

  async abort(): Promise<void> {
    this.lanes.clear();
    if (this.unsealed !== null) await rm(this.unsealed, { recursive: true, force: true }).catch(() => undefined);
    this.unsealed = null;
  }

  /** The folder of per-roll dead-letter files, once a roll with dead letters was published. */
  deadLetterFile(): string | null {
    return this.deadPublished > 0 ? this.deadLetterDir : null;
  }

  private hold(lane: string): LaneBuffers {
    let b = this.lanes.get(lane);
    if (b === undefined) this.lanes.set(lane, (b = { events: new Map(), prices: new Map(), dead: [], held: 0, eventRows: 0 }));
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
