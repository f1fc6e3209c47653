/**
 * The export summary: the JSON object of `--json` (docs/export.md) and the table printed otherwise.
 */
import type { TopicPartitionOffset } from '../sources/kafka-offsets.js';
import { withSnakeCaseAliases } from '../report/json-keys.js';
import { renderKeyValues, renderTable } from '../report/table.js';
import type { ExportCounts } from './counts.js';
import type { ExportSummary } from './types.js';

export interface SummaryInput {
  source: string;
  output: string;
  counts: ExportCounts;
  files: string[];
  priceRows: number;
  deadLetterFile: string | null;
  committed: TopicPartitionOffset[];
  rolls: ExportSummary['rolls'];
  stoppedBy: ExportSummary['stopped_by'];
  seconds: number;
}

/** Assemble the summary from the run's tallies. */
export function exportSummary(s: SummaryInput): ExportSummary {
  const c = s.counts;
  return {
    source: s.source,
    output: s.output,
    records_read: c.read,
    records_written: c.written,
    dead_lettered: { total: c.deadLettered, by_reason: c.reasons() },
    duplicates: { total: c.duplicateTotal, ...c.duplicates },
    outside_window: c.outsideWindow,
    unknown_events: { total: c.unknownEvents, by_name: c.unknownNames() },
    ts_from_broker: c.tsFromBroker,
    sessions: c.sessionCount,
    labels: { agent: c.agent, human: c.human, unlabelled: c.unlabelled, unknown_experiment_events: c.unknownExperimentEvents, unknown_experiment_sessions: c.unknownExperimentSessions.size },
    time_range: c.timeRange(),
    price_logs: { read: c.priceRead, written: s.priceRows },
    files_written: s.files,
    dead_letter_file: s.deadLetterFile,
    offsets_committed: s.committed,
    withdrawn_after_rebalance: c.withdrawn,
    rolls: s.rolls,
    stopped_by: s.stoppedBy,
    seconds: s.seconds,
    records_per_second: s.seconds > 0 ? c.read / s.seconds : 0,
  };
}

const n = (x: number): string => x.toLocaleString('en-US');

/** Maps of the summary keyed by data (reason codes, event names): their keys are not re-cased. */
export const EXPORT_SUMMARY_DATA_MAPS: ReadonlySet<string> = new Set(['by_reason', 'by_name']);

/**
 * What `export --json` prints: the summary with camelCase keys (`recordsWritten`, `deadLettered.byReason`), then
 * the snake_case keys of earlier releases, kept for one release (docs/contract.md, "JSON key casing").
 * @example printJson(exportSummaryJson(summary)); // { "recordsRead": 300, …, "records_read": 300, … }
 */
export function exportSummaryJson(s: ExportSummary): unknown {
  return withSnakeCaseAliases(s, EXPORT_SUMMARY_DATA_MAPS);
}

/** Human-readable summary: key figures, then dead letters by reason and committed offsets when any. */
export function renderExportSummary(s: ExportSummary): string {
  const unknown = Object.entries(s.unknown_events.by_name).slice(0, 5).map(([name, k]) => `${name} ${n(k)}`).join(', ');
  const parts: string[] = [
    renderKeyValues([
      ['source', s.source],
      ['records read', n(s.records_read)],
      ['events written', n(s.records_written)],
      ['dead-lettered', s.dead_lettered.total === 0 ? '0' : `${n(s.dead_lettered.total)} (by reason below)`],
      ['duplicates dropped', s.duplicates.total === 0 ? '0' : `${n(s.duplicates.total)} (redelivered ${n(s.duplicates.redelivered)}, already exported ${n(s.duplicates.already_exported)}, identical ${n(s.duplicates.identical)})`],
      ...(s.outside_window > 0 ? [['outside --since/--until', n(s.outside_window)] as [string, string]] : []),
      ['unknown event names', s.unknown_events.total === 0 ? '0' : `${n(s.unknown_events.total)} (${unknown})`],
      ['ts from broker', n(s.ts_from_broker)],
      ['sessions', n(s.sessions)],
      ['labels', `agent ${n(s.labels.agent)}, human ${n(s.labels.human)}, none ${n(s.labels.unlabelled)}${s.labels.unknown_experiment_sessions > 0 ? `; ${n(s.labels.unknown_experiment_sessions)} sessions with an unknown experiment` : ''}`],
      ['time range', s.time_range.from === null ? '–' : `${s.time_range.from} … ${s.time_range.to}`],
      ...(s.price_logs.read > 0 ? [['price logs written', `${n(s.price_logs.written)} of ${n(s.price_logs.read)}`] as [string, string]] : []),
      ['files written', s.files_written.length <= 3 ? s.files_written.join('\n') || '–' : `${s.files_written.length} files under ${s.output}`],
      ['dead-letter file', s.dead_letter_file ?? '–'],
      ...(s.withdrawn_after_rebalance > 0 ? [['given up on rebalance', `${n(s.withdrawn_after_rebalance)} records (read again by the partition's owner)`] as [string, string]] : []),
      ...(s.rolls.published_for_others + s.rolls.discarded > 0
        ? [['staged rolls', `${n(s.rolls.published_for_others)} published for a process that died, ${n(s.rolls.discarded)} discarded after a refused commit`] as [string, string]]
        : []),
      ['stopped by', s.stopped_by],
      ['records/s', n(Math.round(s.records_per_second))],
    ]),
  ];
  if (s.dead_lettered.total > 0) parts.push(renderTable(['dead-letter reason', 'records'], Object.entries(s.dead_lettered.by_reason)));
  if (s.offsets_committed.length > 0) {
    parts.push(renderTable(['topic', 'partition', 'committed offset'], s.offsets_committed.map((o) => [o.topic, o.partition, o.offset])));
  }
  return parts.join('\n');
}
