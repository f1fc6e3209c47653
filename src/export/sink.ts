/**
 * What the export loop asks of an output: take rows and dead letters by lane, say when a roll is due,
 * write a roll (directory output) or the whole output (single file), and clean up on failure.
 */
import type { RecordSink } from './record-stage.js';

import type { TopicPartition } from './types.js';

export interface RollResult {
  /** Files of this roll (final paths), in order: in place already, or once `staged` is published. */
  files: string[];
  eventRows: number;
  priceRows: number;
  /** Dead letters in the roll. */
  deadLines: number;
  /** Directory output: the roll's own dead-letter file (final path), when it has dead letters. */
  deadLetterFile?: string;
  /** Directory output: the roll waits under `.staging/<id>` for its commit; event rows per lane. */
  staged?: { id: string; laneRows: Map<string, number> };
}

export interface ExportSink extends RecordSink {
  /** Rows and dead letters held since the last roll. */
  readonly pending: number;
  /** When the oldest held record arrived (ms), or null when nothing is held. */
  readonly pendingSince: number | null;
  /** Whether this sink writes rolls (directory output); a single file is written once, at the end. */
  readonly rolls: boolean;
  /** Give up everything held for these lanes (their partitions moved away); returns the event/price rows dropped. */
  dropLanes(lanes: readonly string[]): number;
  /** Called after each batch: hand full chunks to a streaming writer (waits when it is behind). */
  afterBatch(): Promise<void>;
  /** Write what is held as one roll (staged for directory output); `lanes`: partitions its commit moves. */
  roll(lanes?: readonly TopicPartition[]): Promise<RollResult>;
  /** The last roll (directory) or the single file and its neighbours. */
  finish(lanes?: readonly TopicPartition[]): Promise<RollResult>;
  /** A staged roll was published with this many dead letters (directory output). */
  published(deadLines: number): void;
  /** Failure: remove temporary files; nothing half-written stays under a final name. */
  abort(error: unknown): Promise<void>;
  /** The dead-letter file, once something was written to it. */
  deadLetterFile(): string | null;
}
