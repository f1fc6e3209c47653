/**
 * Kafka errors told apart by their kafkajs `type`, without loading kafkajs: the export loop asks
 * `lostGeneration` of every failed commit whatever its source, so a file or Postgres export that
 * imported it from kafka.ts loaded kafkajs for nothing (docs/perf/pgstart.md).
 */

/** Whether the error, or one it wraps (kafkajs wraps protocol errors once retries run out), has one of these types. */
export function hasErrorType(e: unknown, types: ReadonlySet<string>): boolean {
  for (let cur = e, depth = 0; cur !== null && typeof cur === 'object' && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    if (types.has(String((cur as { type?: unknown }).type))) return true;
  }
  return false;
}

const REBALANCE_ERRORS = new Set(['ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS', 'UNKNOWN_MEMBER_ID']);

/** The group moved on (rebalance, member evicted): the commit is refused, not a failure of ours. */
export const lostGeneration = (e: unknown): boolean => hasErrorType(e, REBALANCE_ERRORS);
