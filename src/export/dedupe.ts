/**
 * Duplicate detection. Kafka data: the provenance key (topic, partition, offset) — a record read again
 * after a rebalance or a restart (delivery is at-least-once) is dropped when this process already took
 * it, or when a file in the output already holds it. Files with `--dedupe`: identical event content.
 */
import { createHash } from 'node:crypto';
import type { EventRow } from '../events/normalise.js';
import type { DuplicateKind } from './counts.js';

/**
 * Per-partition offset filter: offsets below the furthest one taken in this run are re-deliveries;
 * offsets listed in `exported` (found in output files beyond the committed offset) are already written.
 * @example const f = new OffsetFilter(); f.check('t\u00000', 5) // null (new); f.check('t\u00000', 5) // 'redelivered'
 */
export class OffsetFilter {
  private readonly takenTo = new Map<string, number>();
  private readonly exported = new Map<string, Set<number>>();

  /** Offsets of a partition that output files already hold (replaces what was known for it). */
  setExported(key: string, offsets: Set<number>): void {
    if (offsets.size > 0) this.exported.set(key, offsets);
    else this.exported.delete(key);
  }

  /** null for a record to take (and remember), else why it is a duplicate. */
  check(key: string, offset: number): DuplicateKind | null {
    const taken = this.takenTo.get(key) ?? -1;
    if (offset < taken) return 'redelivered';
    this.takenTo.set(key, offset + 1);
    if (this.exported.get(key)?.has(offset)) return 'already_exported';
    return null;
  }

  /** The partition is read again from an earlier offset (a refused roll was discarded): take its records anew. */
  rewound(key: string): void {
    this.takenTo.delete(key);
  }

  /** Forget a partition (it moved to another consumer; if it comes back, its state is loaded afresh). */
  forget(key: string): void {
    this.takenTo.delete(key);
    this.exported.delete(key);
  }
}

/**
 * Identical-event filter for `--dedupe`: a 128-bit digest of the event's content (every column but
 * provenance and label). Memory grows with distinct events (≈ 60 bytes each); scope is one run.
 * @example const d = new IdenticalEvents(); d.seen(row) // false, then true for an identical row
 */
export class IdenticalEvents {
  private readonly digests = new Set<string>();

  seen(row: EventRow): boolean {
    const content = JSON.stringify([row.sessionId, row.experimentId, row.ts, row.eventName, row.page, row.productId, row.storeMode, row.userAgent, row.metadata]);
    const digest = createHash('md5').update(content).digest('base64');
    if (this.digests.has(digest)) return true;
    this.digests.add(digest);
    return false;
  }
}
