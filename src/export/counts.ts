/**
 * The running tallies of an export: what was read, written, dead-lettered (by reason), dropped as a
 * duplicate (by kind), which event names were unknown, how labels resolved, and the time range.
 * Invariant checked by the tests: read = written + dead-lettered + duplicates + outside_window (+ price logs).
 * `written` counts rows in files that were renamed into place; `accepted` counts rows handed to the sink.
 */
import type { EventRow } from '../events/normalise.js';
import { formatIsoMs } from '../io/timestamp.js';
import { isUnknownEvent } from '../events/vocabulary.js';

export type DuplicateKind = 'redelivered' | 'already_exported' | 'identical';

/** What one lane (Kafka partition) consumed since its last roll, so it can be taken back on a rebalance. */
export interface LaneTally {
  records: number;
  dead: Map<string, number>;
  duplicates: Record<DuplicateKind, number>;
  outside: number;
}

export const emptyTally = (): LaneTally => ({ records: 0, dead: new Map(), duplicates: { redelivered: 0, already_exported: 0, identical: 0 }, outside: 0 });

export class ExportCounts {
  read = 0;
  accepted = 0;
  written = 0;
  /** Records given up after a rebalance moved their partition away (another consumer reads them). */
  withdrawn = 0;
  deadLettered = 0;
  readonly byReason = new Map<string, number>();
  readonly duplicates: Record<DuplicateKind, number> = { redelivered: 0, already_exported: 0, identical: 0 };
  outsideWindow = 0;
  unknownEvents = 0;
  readonly unknownByName = new Map<string, number>();
  tsFromBroker = 0;
  /** session ids of rows without a `sessionOrdinal` */
  readonly sessions = new Set<string>();
  /** one bit per session ordinal seen (rows whose source numbers its sessions: no hashing per row) */
  private ordinalBits = new Uint8Array(1024);
  private ordinalSessions = 0;
  // a session's events mostly come in runs (a page and its assets): skip the set for a repeat
  private lastSession: string | null = null;
  agent = 0;
  human = 0;
  unlabelled = 0;
  unknownExperimentEvents = 0;
  readonly unknownExperimentSessions = new Set<string>();
  minTs = Infinity;
  maxTs = -Infinity;
  priceRead = 0;
  priceWritten = 0;

  deadLetter(reason: string): void {
    this.deadLettered++;
    this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
  }

  duplicate(kind: DuplicateKind): void {
    this.duplicates[kind]++;
  }

  get duplicateTotal(): number {
    return this.duplicates.redelivered + this.duplicates.already_exported + this.duplicates.identical;
  }

  /** Tally one event row that will be written. `unknownExperiment`: the join has no label for it (no experimentId, or one the table lacks). */
  event(row: EventRow, tsFromBroker: boolean, unknownExperiment: boolean): void {
    this.accepted++;
    const ord = row.sessionOrdinal;
    if (ord !== undefined) this.markOrdinal(ord);
    else if (row.sessionId !== this.lastSession) {
      this.sessions.add(row.sessionId);
      this.lastSession = row.sessionId;
    }
    if (tsFromBroker) this.tsFromBroker++;
    if (isUnknownEvent(row.eventName)) {
      this.unknownEvents++;
      this.unknownByName.set(row.eventName, (this.unknownByName.get(row.eventName) ?? 0) + 1);
    }
    if (row.isAgent === true) this.agent++;
    else if (row.isAgent === false) this.human++;
    else this.unlabelled++;
    if (unknownExperiment) {
      this.unknownExperimentEvents++;
      this.unknownExperimentSessions.add(row.sessionId);
    }
    if (row.ts < this.minTs) this.minTs = row.ts;
    if (row.ts > this.maxTs) this.maxTs = row.ts;
  }

  /** Distinct sessions among the rows tallied. */
  get sessionCount(): number {
    return this.sessions.size + this.ordinalSessions;
  }

  private markOrdinal(ord: number): void {
    const byte = ord >>> 3, bit = 1 << (ord & 7);
    if (byte >= this.ordinalBits.length) {
      const next = new Uint8Array(Math.max(byte + 1, this.ordinalBits.length * 2));
      next.set(this.ordinalBits);
      this.ordinalBits = next;
    }
    if ((this.ordinalBits[byte]! & bit) === 0) {
      this.ordinalBits[byte]! |= bit;
      this.ordinalSessions++;
    }
  }

  /**
   * Take back what a lane consumed since its last roll (its partition moved to another consumer, which
   * reads those records again). Session, label and time tallies keep them: they describe what was seen.
   */
  withdraw(t: LaneTally, rows: number): void {
    this.read -= t.records;
    this.accepted -= rows;
    this.withdrawn += t.records;
    for (const [reason, n] of t.dead) {
      this.deadLettered -= n;
      this.byReason.set(reason, this.byReason.get(reason)! - n);
      if (this.byReason.get(reason) === 0) this.byReason.delete(reason);
    }
    for (const k of Object.keys(t.duplicates) as DuplicateKind[]) this.duplicates[k] -= t.duplicates[k];
    this.outsideWindow -= t.outside;
  }

  timeRange(): { from: string | null; to: string | null } {
    if (this.minTs > this.maxTs) return { from: null, to: null };
    return { from: formatIsoMs(this.minTs), to: formatIsoMs(this.maxTs) };
  }

  reasons(): Record<string, number> {
    return Object.fromEntries([...this.byReason].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  }

  unknownNames(): Record<string, number> {
    return Object.fromEntries([...this.unknownByName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  }
}
