/**
 * Offset ranges in file footers: every part file written from Kafka records, per (topic, partition),
 * the first and last offset it holds (`phantom.src_ranges`, JSON). On restart they tell which files may
 * hold records past the committed offsets, so only those are opened (`exported-offsets.ts`).
 */
import type { EventsTable } from '../events/table.js';

/** [topic, partition, first offset, last offset]. */
export type SrcRange = [topic: string, partition: number, first: number, last: number];

/** Footer key holding a file's SrcRange list. */
export const SRC_RANGES_KEY = 'phantom.src_ranges';

/**
 * Ranges over rows given by accessors; rows without a partition or offset (non-Kafka) are skipped.
 * @example srcRanges(2, () => 0, () => 't', () => 1, (i) => [5, 9][i]) // [['t', 1, 5, 9]]
 */
export function srcRanges(
  n: number,
  topicCode: (i: number) => number,
  topicName: (i: number) => string | null,
  partition: (i: number) => number,
  offset: (i: number) => number,
): SrcRange[] {
  const byKey = new Map<number, SrcRange>();
  for (let i = 0; i < n; i++) {
    const p = partition(i);
    const o = offset(i);
    if (p < 0 || Number.isNaN(o)) continue;
    const key = topicCode(i) * 1_000_003 + p;
    const r = byKey.get(key);
    if (r === undefined) byKey.set(key, [topicName(i) ?? '', p, o, o]);
    else {
      if (o < r[2]) r[2] = o;
      if (o > r[3]) r[3] = o;
    }
  }
  return [...byKey.values()];
}

/** Ranges of an events chunk. */
export function eventRanges(t: EventsTable): SrcRange[] {
  const codes = t.srcTopic.codes;
  return srcRanges(t.length, (i) => codes[i]!, (i) => (codes[i]! < 0 ? null : t.srcTopic.dict[codes[i]!]!), (i) => t.srcPartition[i]!, (i) => t.srcOffset[i]!);
}
