/**
 * Labelled events for `phantom kernels`, `separability` and `clusters`: whatever the one events loader
 * (sources/event-files.ts) reads — files, globs, folders, several of them, as if concatenated — with labels
 * from `is_agent` or another boolean column of Parquet inputs. Labels may instead come from the experiments
 * table (`--experiments-from`, is_agent = NOT xp_human_only), which wins wherever it knows the event's
 * experiment. Rejected raw records are counted, not fatal, as in `export` without --strict.
 */
import type { DictColumn, EventsTable } from '../events/table.js';
import type { FeatureEvents } from '../features/feature-events.js';
import { loadEventsParquet } from '../features/load-parquet.js';
import { expandEventInputs } from '../io/input-paths.js';
import { isParquetInput, loadEvents } from '../sources/event-files.js';
import type { ExperimentLabels } from '../sources/experiments.js';

export interface LabelledEvents {
  table: EventsTable;
  /** event-level labels −1/0/1 */
  flags: Int8Array;
  /** raw records that failed normalisation (raw inputs only) */
  rejected: number;
  /** the event files read, in order */
  files: string[];
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
 * Load events and their labels from event files, folders and globs, then apply the experiments join when given.
 * @example const { table, flags } = await loadLabelledEvents(['events.jsonl'], { labelColumn: 'is_agent', experiments });
 */
export async function loadLabelledEvents(inputs: readonly string[], opts: { labelColumn: string; experiments?: ExperimentLabels }): Promise<LabelledEvents> {
  const files = await expandEventInputs(inputs);
  const [only] = files.length === 1 ? files : [];
  const { table, flags, rejected } = only !== undefined && isParquetInput(only) && opts.labelColumn === 'is_agent'
    ? await kernelColumnsOf(only)
    : await loadEvents(files, { labelColumn: opts.labelColumn });
  if (!opts.experiments) return { table, flags, rejected, files, relabelled: 0 };
  return { table, rejected, files, ...joinExperiments(table, flags, opts.experiments) };
}

/** Feature columns the kernels never read, and request columns (docs/access-logs.md) they do not use. */
const KERNELS_SKIP = ['price', 'dwellMs', 'userAgent', 'resource_kind', 'method', 'path', 'query', 'referrer', 'site', 'user_agent', 'status', 'bytes'];

/**
 * One events.parquet labelled by is_agent, through the batched column reader of `phantom features` for the
 * columns the kernels read: no metadata strings, no whole-file Arrow table (peak RSS at 100k sessions 1.79 GB →
 * 0.41 GB, docs/performance.md). The other columns are still decoded, so a corrupt file fails as before.
 */
async function kernelColumnsOf(path: string): Promise<{ table: EventsTable; flags: Int8Array; rejected: number }> {
  const table = kernelEvents(await loadEventsParquet(path, { baseFirst: false, skip: KERNELS_SKIP }));
  return { table, flags: table.isAgent, rejected: 0 };
}

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
