/**
 * Random ids for the request path (decision ids, session write ids) as hex strings, cut from a pool of
 * random bytes refilled 4 KB at a time: one getrandom call per refill instead of one per id (a call per
 * request cost ~15–35 µs under load on the 2-core bench machine; docs/perf/bench-gate.md).
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let next = POOL_BYTES;

/**
 * `bytes` fresh random bytes (at most 4096) as 2·bytes hex digits.
 * @example randomHex(16) // '9f1c…' (32 hex digits)
 */
export function randomHex(bytes: number): string {
  if (next + bytes > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += bytes;
  return pool.toString('hex', at, at + bytes);
}
