/**
 * Labelled events for `phantom kernels`, `separability` and `clusters`: whatever the one events loader
 * (sources/event-files.ts) reads — files, globs, folders, several of them, as if concatenated — with labels
 * from `is_agent` or another boolean column of Parquet inputs. Labels may instead come from the experiments
 * table (`--experiments-from`, is_agent = NOT xp_human_only), which wins wherever it knows the event's
 * experiment. Rejected raw records are counted, not fatal, as in `export` without --strict.
 */
import type { EventsTable } from '../events/table.js';
import { loadEvents } from '../sources/event-files.js';
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
  const { table, flags, rejected, files } = await loadEvents(inputs, { labelColumn: opts.labelColumn });
  if (!opts.experiments) return { table, flags, rejected, files, relabelled: 0 };
  return { table, rejected, files, ...joinExperiments(table, flags, opts.experiments) };
}
