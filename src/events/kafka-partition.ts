/**
 * Kafka's default partitioner for keyed records: murmur2 of the key bytes, masked positive, modulo the
 * partition count (as the Java client and kafkajs do), so generated console envelopes place sessions
 * where a real producer keyed by sessionId would.
 */
const encoder = new TextEncoder();

/** Kafka's murmur2 (seed 0x9747b28c). */
export function murmur2(key: string): number {
  const data = encoder.encode(key);
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const len4 = length >> 2;
  for (let i = 0; i < len4; i++) {
    const i4 = i << 2;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = length & 3;
  const off = len4 << 2;
  if (rest === 3) h ^= data[off + 2]! << 16;
  if (rest >= 2) h ^= data[off + 1]! << 8;
  if (rest >= 1) {
    h ^= data[off]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Partition of a key among `partitions`. @example partitionFor('session-1', 3) */
export function partitionFor(key: string, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}
