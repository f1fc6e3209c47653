/**
 * Shapes shared by the export pipeline (docs/export.md): what a source hands the pipeline, what the pipeline
 * is told to do, and what it reports. Sources differ (Kafka, Postgres, PostgREST, files); the pipeline
 * after them does not.
 */
import type { CompressionName } from '../io/parquet.js';
import type { ExperimentLabels } from '../sources/experiments.js';
import type { TopicPartitionOffset } from '../sources/kafka-offsets.js';
import type { RawBatch } from '../sources/types.js';
import type { SessionLabels } from '../events/session-labels.js';
import type { EventsTable } from '../events/table.js';

export const PARTITION_BY = ['none', 'date', 'src_partition'] as const;
export type PartitionBy = (typeof PARTITION_BY)[number];

/** Which table a record belongs to: interaction events or price observations. */
export type StreamKind = 'events' | 'prices';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** One batch from a source; Kafka batches come from one partition and carry their commit position. */
export interface SourceBatch {
  stream: StreamKind;
  records: RawBatch;
  kafka?: TopicPartition & { nextOffset: number; highWatermark: number };
}

/** A source as the pipeline sees it. Only Kafka implements commits, assignments and committed offsets. */
export interface ExportSource {
  /** 'kafka', 'postgres', 'supabase-rest' or 'file' (reported in the summary). */
  name: string;
  /** Footer metadata the source contributes to every file (access logs: format, session key fingerprint). */
  metadata?: Record<string, string>;
  /** True for a Kafka consumer group: runs resume from committed offsets. */
  resumable: boolean;
  batches(): AsyncIterable<SourceBatch>;
  /** Commit positions with `metadata` (Kafka group); resolves to how many partitions were committed (0: refused mid-rebalance). */
  commit(offsets: TopicPartitionOffset[], metadata?: string): Promise<number>;
  /** Partitions this process owns right now (the same array until it changes); null for sources without partitions. */
  assignment(): readonly TopicPartition[] | null;
  /** Read owned partitions again from these offsets; returns how many were rewound. */
  rewind(offsets: TopicPartitionOffset[]): number;
  /**
   * After the final roll of a batch-mode group run: wait while other members still have partitions to
   * read; true when a rebalance moved some here (read on), false when the group's job is done.
   */
  more(onWaiting?: (partitions: string[]) => void): Promise<boolean>;
  /** The group's committed offsets (next offset to read) and their metadata, by `tpKey`; empty without a group. */
  committed(): Promise<Map<string, CommittedOffset>>;
  /** End the batch stream after the batch in hand (SIGINT/SIGTERM). */
  stop(): void;
  close(): Promise<void>;
}

export interface CommittedOffset {
  offset: number;
  /** What the committer stored beside the offset (phantom: the id of the roll holding the records). */
  metadata: string | null;
}

export interface SinkOptions {
  /** A `.parquet` file (one file, written at the end) or a directory (rolling part files). */
  out: string;
  partitionBy: PartitionBy;
  compression: CompressionName;
  rowGroupSize: number;
  /** Directory output: roll a file after this many records (default 500,000). */
  flushRecords: number;
  /** Directory output: roll a file when its first record is older than this (ms); null = never. */
  flushIntervalMs: number | null;
  /** Dead-letter JSON-lines file; default next to the output. */
  deadLetter?: string;
  /** Extra footer metadata for every file (e.g. the redacted command line). */
  metadata?: Record<string, string>;
  /** Footer metadata known only at the end (single-file output), e.g. `--labels` pass-through columns. */
  finalMetadata?: () => Record<string, string>;
  /**
   * Single-file output: each chunk of event rows, in file order, just before it goes to the writer thread
   * (which then owns its typed arrays: copy what you keep, e.g. with events/collect-tables.ts).
   */
  onEventsChunk?: (chunk: EventsTable) => void;
}

export interface ExportOptions extends SinkOptions {
  /** `--label human|agent`: is_agent for records the experiments join does not label. */
  label?: boolean | null;
  /** experimentId → is_agent (`--experiments-from`). */
  experiments?: ExperimentLabels | null;
  /** `--labels FILE`: sessionId (or access-log client) → is_agent and pass-through columns. */
  sessionLabels?: SessionLabels | null;
  /** Drop identical events (same content, any provenance) — `--dedupe`. */
  dedupe?: boolean;
  /** Window on event time for sources that cannot filter themselves (files): since ≤ ts < until. */
  sinceMs?: number;
  untilMs?: number;
  /** Stop after this many records (reported as `stopped_by: max-messages`). */
  maxMessages?: number;
  /** The source includes price logs: write price-logs.parquet even when none arrive. */
  withPrices?: boolean;
  /** Kafka consumer group (directory output stages each roll until its offsets are committed to it). */
  group?: string;
  /**
   * Aborting (reason: the signal's name, e.g. 'SIGTERM') ends the export. A group or `follow` export
   * finishes the current file, commits and returns the summary; a one-shot export writes nothing and
   * throws `ExportInterrupted` (exit 130/143), unless `drain`.
   */
  signal?: AbortSignal;
  /** A one-shot export stopped by `signal` writes what it read so far and returns (`--drain`). */
  drain?: boolean;
  /** The source is followed until a signal (`--follow`): rolls are published as they are written. */
  follow?: boolean;
  /**
   * What a one-shot export reads (a hash of source, inputs and options; no secrets): a directory notes
   * it when the export completes, and a later run of the same export into it does nothing.
   */
  identity?: string;
  /** Informational lines (assignment changes, rolls); warnings go to onWarning. */
  onInfo?: (message: string) => void;
  onWarning?: (message: string) => void;
  onProgress?: (p: ExportProgress) => void;
  /** Clock for roll intervals and rates (tests pass a fake); default Date.now. */
  now?: () => number;
}

export interface ExportProgress {
  recordsRead: number;
  recordsWritten: number;
  recordsPerSecond: number;
  /** Lag per partition (high watermark − next offset) by "topic[partition]". */
  lag: Record<string, number>;
}

/** The result of an export, as printed by `--json` (snake_case keys, docs/export.md). */
export interface ExportSummary {
  source: string;
  output: string;
  records_read: number;
  records_written: number;
  dead_lettered: { total: number; by_reason: Record<string, number> };
  duplicates: { total: number; redelivered: number; already_exported: number; identical: number };
  outside_window: number;
  unknown_events: { total: number; by_name: Record<string, number> };
  ts_from_broker: number;
  sessions: number;
  labels: { agent: number; human: number; unlabelled: number; unknown_experiment_events: number; unknown_experiment_sessions: number };
  time_range: { from: string | null; to: string | null };
  price_logs: { read: number; written: number };
  files_written: string[];
  dead_letter_file: string | null;
  offsets_committed: TopicPartitionOffset[];
  /** Records given up after a rebalance moved their partition away (re-read by the new owner). */
  withdrawn_after_rebalance: number;
  /**
   * Staged rolls (directory output): `published_for_others` = rolls whose commit went through but whose
   * writer died before moving the files into place, published by this run; `discarded` = rolls of this
   * run whose commit the group refused (their records were read again, here or by the new owner).
   */
  rolls: { published_for_others: number; discarded: number };
  /** already-exported: this one-shot export had completed into the same directory before; nothing was read */
  stopped_by: 'end' | 'signal' | 'max-messages' | 'already-exported';
  seconds: number;
  records_per_second: number;
}
