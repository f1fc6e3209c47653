/**
 * The defaults of `export` (docs/export.md), one place for the command's flags and the library callers:
 * the Kafka topic, the Parquet layout and rolling, and the access-log reading.
 */
import type { CompressionName } from '../io/parquet.js';
import type { PartitionBy } from './types.js';

export const EXPORT_DEFAULTS = {
  /** events topic */
  topic: 'user-interactions',
  /** directory output: roll a file every N records */
  flushRecords: 500_000,
  /** directory output with --follow and no --flush-interval: roll at least this often (ms) */
  followFlushIntervalMs: 60_000,
  partitionBy: 'none' as PartitionBy,
  compression: 'zstd' as CompressionName,
  /** rows per Parquet row group */
  rowGroupSize: 250_000,
  /** access-log format preset */
  logFormat: 'combined',
  /** access-log: zone of times logged without one */
  timezone: 'UTC',
} as const;
