/**
 * Generated events as upstream would send them: flat JSON events (JSON-lines), or Redpanda-Console
 * envelopes as the original study stored its human data (docs/contract.md §1), keyed and partitioned by sessionId.
 */
import { partitionFor } from '../events/kafka-partition.js';
import type { EventsTable } from '../events/table.js';
import { type DictColumn, dictValue } from '../io/arrow-columns.js';
import { formatIsoMs } from '../io/timestamp.js';
import type { Experiment } from './plan.js';
import { csvField } from '../io/text-out.js';

/**
 * The flat upstream event of row i. Upstream events carry no label (it comes from the experiments join);
 * with `withLabel`, a labelled row also carries `is_agent`, so a .jsonl/.json output keeps the labels a
 * Parquet output has (`--no-labels` leaves them out everywhere).
 */
export function flatEventJson(t: EventsTable, i: number, withLabel = false): string {
  const s = (c: DictColumn): string | null => dictValue(c, i);
  const meta = t.metadata[i];
  const label = withLabel && t.isAgent[i]! >= 0 ? `,"is_agent":${t.isAgent[i] === 1}` : '';
  return `{"sessionId":${JSON.stringify(s(t.sessionId))},"experimentId":${JSON.stringify(s(t.experimentId))},"eventName":${JSON.stringify(s(t.eventName))},"ts":"${formatIsoMs(t.ts[i]!)}","page":${JSON.stringify(s(t.page))},"productId":${JSON.stringify(s(t.productId))},"storeMode":${JSON.stringify(s(t.storeMode))},"userAgent":${JSON.stringify(s(t.userAgent))},"metadata":${meta ?? 'null'}${label}}`;
}

/** Assigns Kafka partitions and per-partition offsets to events in output order. */
export class EnvelopeWriter {
  private readonly offsets: number[];
  constructor(private readonly partitions: number, private readonly topic = 'user-interactions') {
    this.offsets = new Array<number>(partitions).fill(0);
  }
  /** The console envelope of row i. */
  envelope(t: EventsTable, i: number, withLabel = false): string {
    const sid = t.sessionId.dict[t.sessionId.codes[i]!]!;
    const p = partitionFor(sid, this.partitions);
    const offset = this.offsets[p]!++;
    return `{"topic":"${this.topic}","partitionID":${p},"offset":${offset},"timestamp":${t.ts[i]},"compression":"uncompressed","isTransactional":false,"headers":[],"key":{"payload":${JSON.stringify(sid)},"encoding":"text"},"value":{"payload":${flatEventJson(t, i, withLabel)},"encoding":"json"}}`;
  }
}

export const EXPERIMENT_COLUMNS = ['id', 'created_at', 'subject_name', 'xp_human_only', 'xp_market_mode', 'xp_task_id'] as const;

/** The experiments table (Supabase `experiments` shape) as CSV text. */
export function experimentsCsv(experiments: Experiment[]): string {
  const lines = [EXPERIMENT_COLUMNS.join(',')];
  for (const e of experiments) {
    lines.push([e.id, formatIsoMs(e.createdAtMs), e.subjectName, e.humanOnly, e.marketMode, e.taskId].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}
