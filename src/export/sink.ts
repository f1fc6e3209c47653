/**
 * What the export loop asks of an output: take rows and dead letters by lane, say when a roll is due,
 * write a roll (directory output) or the whole output (single file), and clean up on failure.
 */
import type { RecordSink } from './record-stage.js';

export interface RollResult {
  /** Files renamed into place by this roll, in order. */
  files: string[];
  eventRows: number;
  priceRows: number;
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
  /** Write what is held: dead letters first, then Parquet files, each renamed into place. */
  roll(): Promise<RollResult>;
  /** The last roll (directory) or the single file and its neighbours. */
  finish(): Promise<RollResult>;
  /** Failure: remove temporary files; nothing half-written stays under a final name. */
  abort(error: unknown): Promise<void>;
  /** The dead-letter file, once something was written to it. */
  deadLetterFile(): string | null;
}
