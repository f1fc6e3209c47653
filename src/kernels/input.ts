/**
 * Labelled events for `phantom kernels` / `phantom separability`: one events.parquet (labels from
 * `is_agent` or another boolean column), or raw .jsonl/.json/.csv files normalised on the fly (labels from
 * each record's `is_agent`). Labels may instead come from the experiments table (`--experiments-from`,
 * is_agent = NOT xp_human_only), which wins wherever it knows the event's experiment.
 * Rejected raw records are counted, not fatal, as in `export` without --strict.
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { eventsFromArrow } from '../events/arrow.js';
import { normalise } from '../events/normalise.js';
import { EventsBuilder, type DictColumn, type EventsTable } from '../events/table.js';
import type { FeatureEvents } from '../features/feature-events.js';
import { loadEventsParquet } from '../features/load-parquet.js';
import { readFlags } from '../io/arrow-columns.js';
import { readParquet } from '../io/parquet.js';
import type { ExperimentLabels } from '../sources/experiments.js';
import { expandInputs, readFiles } from '../sources/files.js';

export interface LabelledEvents {
  table: EventsTable;
  /** event-level labels −1/0/1 */
  flags: Int8Array;
  /** raw records that failed normalisation (raw inputs only) */
  rejected: number;
  /** events whose stored label the experiments join contradicted (the join wins) */
  relabelled: number;
}

/** Event labels with the experiments join applied over the stored ones. */
function joinExperiments(table: EventsTable, stored: Int8Array, experiments: ExperimentLabels): { flags: Int8Array; relabelled: number } {
  const byCode = Int8Array.from(table.experimentId.dict, (id) => {
    const v = experiments.get(id);
    return v === undefined ? -1 : v ? 1 : 0;
  });
  const flags = Int8Array.from(stored);
  let relabelled = 0;
  for (let i = 0; i < table.length; i++) {
    const code = table.experimentId.codes[i]!;
    const joined = code < 0 ? -1 : byCode[code]!;
    if (joined < 0) continue;
    if (flags[i]! >= 0 && flags[i] !== joined) relabelled++;
    flags[i] = joined;
  }
  return { flags, relabelled };
}

/**
 * Load events and their labels from one Parquet file or from raw event files (globs allowed), then apply the
 * experiments join when given.
 * @example const { table, flags } = await loadLabelledEvents(['events.jsonl'], { labelColumn: 'is_agent', experiments });
 */
export async function loadLabelledEvents(inputs: string[], opts: { labelColumn: string; experiments?: ExperimentLabels }): Promise<LabelledEvents> {
  const { table, flags, rejected } = await loadEvents(inputs, opts.labelColumn);
  if (!opts.experiments) return { table, flags, rejected, relabelled: 0 };
  return { table, rejected, ...joinExperiments(table, flags, opts.experiments) };
}

/** Feature columns the kernels never read, and request columns (docs/access-logs.md) they do not use. */
const KERNELS_SKIP = ['price', 'dwellMs', 'userAgent', 'resource_kind', 'method', 'path', 'query', 'referrer', 'site', 'user_agent', 'status', 'bytes'];

/**
 * An events table over the columns the kernels read (session, time, offset, event, page, product,
 * experiment, label); the columns they never read (store mode, metadata, topic, partition, source time)
 * are all null.
 */
function kernelEvents(e: FeatureEvents): EventsTable {
  const n = e.length;
  const none: DictColumn = { codes: new Int32Array(n).fill(-1), dict: [] };
  return {
    length: n, sessionId: e.sessionId, experimentId: e.experimentId, ts: e.ts, eventName: e.eventName, page: e.page, productId: e.productId,
    storeMode: none, price: e.price, dwellMs: e.dwellMs, userAgent: e.userAgent, metadata: new Array<string | null>(n).fill(null), isAgent: e.isAgent,
    srcTopic: none, srcPartition: new Int32Array(n).fill(-1), srcOffset: e.srcOffset, srcTs: new Float64Array(n).fill(NaN),
  };
}

/** Events and their stored labels. */
async function loadEvents(inputs: string[], labelColumn: string): Promise<Omit<LabelledEvents, 'relabelled'>> {
  const paths = await expandInputs(inputs);
  const parquet = paths.filter((p) => extname(p).toLowerCase() === '.parquet');
  if (parquet.length > 0) {
    if (paths.length > 1) throw new UsageError(`give one events.parquet, or raw event files (.jsonl/.json/.csv), not ${paths.length} inputs mixing them`);
    if (labelColumn === 'is_agent') {
      // the batched column reader of `phantom features`, for the columns kernels read: no metadata
      // strings, no whole-file Arrow table (peak RSS at 100k sessions 1.83 GB → 0.5 GB); the other columns are
      // still decoded, so a corrupt file fails as before
      const table = kernelEvents(await loadEventsParquet(parquet[0]!, { baseFirst: false, skip: KERNELS_SKIP }));
      return { table, flags: table.isAgent, rejected: 0 };
    }
    const arrowTable = await readParquet(parquet[0]!);
    const table = eventsFromArrow(arrowTable);
    if (labelColumn === 'is_agent') return { table, flags: table.isAgent, rejected: 0 };
    const column = arrowTable.getChild(labelColumn);
    if (column === null) {
      throw new UsageError(`--label-column: ${parquet[0]} has no column "${labelColumn}" (columns: ${arrowTable.schema.fields.map((f) => f.name).join(', ')})`);
    }
    return { table, flags: readFlags(column, table.length), rejected: 0 };
  }
  if (labelColumn !== 'is_agent') throw new UsageError('--label-column: raw event files carry their label in is_agent; other label columns need a Parquet input');
  const builder = new EventsBuilder();
  let rejected = 0;
  for await (const batch of readFiles(paths)) {
    for (const record of batch) {
      const r = normalise(record, {});
      if (r.ok) builder.append(r.row);
      else rejected++;
    }
  }
  const table = builder.flush();
  return { table, flags: table.isAgent, rejected };
}
