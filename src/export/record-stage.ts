/**
 * The per-record stage of an export: provenance dedupe → normalise (events) or validate (price logs) →
 * dead letters → time window → identical-event dedupe → experiments join / `--label` → the sink.
 * Every record read ends in exactly one tally: accepted, dead-lettered, duplicate or outside the window.
 */
import { normalise, type EventRow } from '../events/normalise.js';
import type { ExperimentLabels } from '../sources/experiments.js';
import type { RawRecord } from '../sources/types.js';
import { emptyTally, type ExportCounts, type LaneTally } from './counts.js';
import { deadLetterLine } from './dead-letters.js';
import type { IdenticalEvents, OffsetFilter } from './dedupe.js';
import { normalisePrice, type PriceRow } from './price-logs.js';
import type { SessionLabels } from '../events/session-labels.js';
import type { SourceBatch } from './types.js';

/** Where accepted rows and dead letters go, by lane (a Kafka partition; '' for other sources). */
export interface RecordSink {
  event(lane: string, row: EventRow): void;
  price(lane: string, row: PriceRow, record: RawRecord): void;
  deadLetter(lane: string, line: string): void;
}

export interface StageOptions {
  label: boolean | null;
  experiments: ExperimentLabels | null;
  identical: IdenticalEvents | null;
  offsets: OffsetFilter | null;
  sinceMs: number;
  untilMs: number;
  /** `--labels FILE`: session → is_agent (wins over the records' own label) */
  sessionLabels?: SessionLabels | null;
}

export class RecordStage {
  private readonly tallies = new Map<string, LaneTally>();
  private readonly normaliseOptions: { label: boolean | null };

  constructor(
    private readonly opts: StageOptions,
    private readonly counts: ExportCounts,
    private readonly sink: RecordSink,
  ) {
    this.normaliseOptions = { label: opts.label };
  }

  /** Run every record of a batch through the stage. */
  process(batch: SourceBatch, lane: string): void {
    const tally = this.tallyOf(lane);
    const { counts, sink, opts } = this;
    const offsets = batch.kafka ? opts.offsets : null; // provenance keys repeat only through re-delivery
    for (const record of batch.records) {
      counts.read++;
      tally.records++;
      const offset = record.provenance.offset;
      if (offsets !== null && offset !== null) {
        const dup = offsets.check(lane, offset);
        if (dup !== null) {
          counts.duplicate(dup);
          tally.duplicates[dup]++;
          continue;
        }
      }
      if (batch.stream === 'prices') {
        counts.priceRead++;
        const r = normalisePrice(record);
        if (!r.ok) {
          this.reject(record, 'prices', r.reason, r.detail, lane, tally);
          continue;
        }
        if (r.tsFromBroker) counts.tsFromBroker++;
        sink.price(lane, r.row, record);
        continue;
      }
      const r = record.parsed ?? normalise(record, this.normaliseOptions);
      if (!r.ok) {
        this.reject(record, 'events', r.reason, r.detail, lane, tally);
        continue;
      }
      const row = r.row;
      if (record.parsed !== undefined && row.isAgent === null) row.isAgent = opts.label;
      if (row.ts < opts.sinceMs || row.ts >= opts.untilMs) {
        counts.outsideWindow++;
        tally.outside++;
        continue;
      }
      if (opts.identical?.seen(row)) {
        counts.duplicate('identical');
        tally.duplicates.identical++;
        continue;
      }
      let unknownExperiment = false;
      if (opts.experiments !== null) {
        const label = row.experimentId === null ? undefined : opts.experiments.get(row.experimentId);
        if (label === undefined) unknownExperiment = true;
        else row.isAgent = label;
      }
      if (opts.sessionLabels) {
        const cls = opts.sessionLabels.classOf(row.sessionId);
        if (cls !== undefined && cls !== null) row.isAgent = cls;
      }
      counts.event(row, r.tsFromBroker, unknownExperiment);
      sink.event(lane, row);
    }
  }

  /** What a lane consumed since the last roll, forgotten (the lane's records were given up). */
  takeTally(lane: string): LaneTally {
    const t = this.tallyOf(lane);
    this.tallies.delete(lane);
    return t;
  }

  /** A roll made everything so far durable: nothing left to take back. */
  rolled(): void {
    this.tallies.clear();
  }

  private tallyOf(lane: string): LaneTally {
    let t = this.tallies.get(lane);
    if (t === undefined) {
      t = emptyTally();
      this.tallies.set(lane, t);
    }
    return t;
  }

  private reject(record: RawRecord, stream: 'events' | 'prices', reason: string, detail: string, lane: string, tally: LaneTally): void {
    this.counts.deadLetter(reason);
    tally.dead.set(reason, (tally.dead.get(reason) ?? 0) + 1);
    this.sink.deadLetter(lane, deadLetterLine(record, stream, reason, detail));
  }
}
