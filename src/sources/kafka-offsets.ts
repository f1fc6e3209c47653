/**
 * Offsets for Kafka sources: watermarks at start, `--since` lookups and their verification, and the
 * ledger an export uses to commit exactly the offsets whose records it has durably written.
 */
import type { Admin } from 'kafkajs';

export interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read: last consumed offset + 1 (Kafka's commit convention). */
  offset: number;
}

export interface PartitionWatermarks {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

/** Map key for a topic-partition. */
export const tpKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Low and high watermarks of every partition of the topics, as numbers.
 * @example const marks = await fetchWatermarks(admin, ['user-interactions']);
 */
export async function fetchWatermarks(admin: Admin, topics: string[]): Promise<PartitionWatermarks[]> {
  const out: PartitionWatermarks[] = [];
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      out.push({ topic, partition: p.partition, low: Number(p.low), high: Number(p.high) });
    }
  }
  return out;
}

/**
 * Offset per partition of the first record at or after `sinceMs`, as the broker's time index answers
 * (the high watermark when there is none). Not trusted blindly: see `sinceProbeVerdict`.
 * @example const starts = await lookupSinceOffsets(admin, ['user-interactions'], Date.parse('2024-05-01'));
 */
export async function lookupSinceOffsets(admin: Admin, topics: string[], sinceMs: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsetsByTimestamp(topic, sinceMs)) {
      out.set(tpKey(topic, p.partition), Number(p.offset));
    }
  }
  return out;
}

/**
 * Check a time-index answer against the records read around it: the last record before `lookedUp` must
 * be older than `sinceMs`. Returns 'unverifiable' when the batch holds no record before `lookedUp`
 * (compacted away), which callers treat as trusted.
 * @example sinceProbeVerdict([{ offset: 9, timestamp: 5 }], 10, 100) // 'ok'
 */
export function sinceProbeVerdict(
  records: readonly { offset: number; timestamp: number }[],
  lookedUp: number,
  sinceMs: number,
): 'ok' | 'wrong' | 'unverifiable' {
  let before: { offset: number; timestamp: number } | undefined;
  for (const r of records) if (r.offset < lookedUp) before = r;
  if (!before) return 'unverifiable';
  return before.timestamp < sinceMs ? 'ok' : 'wrong';
}

/**
 * Collects the commit position of each partition from batches that have been made durable, so an export
 * commits exactly what its finished file holds.
 * @example
 * ledger.note(batch);                       // for every batch written into the current file
 * await writeAndRename(file);
 * await source.commit(ledger.drain());      // offsets of what that file holds, then forget them
 */
export class OffsetLedger {
  private readonly next = new Map<string, TopicPartitionOffset>();

  /** Remember a batch's position (keeps the furthest per partition). */
  note(batch: { topic: string; partition: number; nextOffset: number }): void {
    const key = tpKey(batch.topic, batch.partition);
    const cur = this.next.get(key);
    if (!cur || batch.nextOffset > cur.offset) {
      this.next.set(key, { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset });
    }
  }

  /** Positions noted since the last drain, sorted by topic and partition; the ledger is emptied. */
  drain(): TopicPartitionOffset[] {
    const out = [...this.next.values()].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
    this.next.clear();
    return out;
  }

  get size(): number {
    return this.next.size;
  }
}
