/**
 * Labelled events for `phantom kernels` / `phantom separability`: one events.parquet (labels from
 * `is_agent` or another boolean column), or raw .jsonl/.json/.csv files normalised on the fly (labels from
 * each record's `is_agent`). Rejected raw records are counted, not fatal, as in `export` without --strict.
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { eventsFromArrow } from '../events/arrow.js';
import { normalise } from '../events/normalise.js';
import { EventsBuilder, type EventsTable } from '../events/table.js';
import { readFlags } from '../io/arrow-columns.js';
import { readParquet } from '../io/parquet.js';
import { expandInputs, readFiles } from '../sources/files.js';

export interface LabelledEvents {
  table: EventsTable;
  /** event-level labels −1/0/1 */
  flags: Int8Array;
  /** raw records that failed normalisation (raw inputs only) */
  rejected: number;
}

/**
 * Load events and their labels from one Parquet file or from raw event files (globs allowed).
 * @example const { table, flags } = await loadLabelledEvents(['events.parquet'], { labelColumn: 'is_agent' });
 */
export async function loadLabelledEvents(inputs: string[], opts: { labelColumn: string }): Promise<LabelledEvents> {
  const paths = await expandInputs(inputs);
  const parquet = paths.filter((p) => extname(p).toLowerCase() === '.parquet');
  if (parquet.length > 0) {
    if (paths.length > 1) throw new UsageError(`give one events.parquet, or raw event files (.jsonl/.json/.csv), not ${paths.length} inputs mixing them`);
    const arrowTable = await readParquet(parquet[0]!);
    const table = eventsFromArrow(arrowTable);
    if (opts.labelColumn === 'is_agent') return { table, flags: table.isAgent, rejected: 0 };
    const column = arrowTable.getChild(opts.labelColumn);
    if (column === null) {
      throw new UsageError(`--label-column: ${parquet[0]} has no column "${opts.labelColumn}" (columns: ${arrowTable.schema.fields.map((f) => f.name).join(', ')})`);
    }
    return { table, flags: readFlags(column, table.length), rejected: 0 };
  }
  if (opts.labelColumn !== 'is_agent') throw new UsageError('--label-column: raw event files carry their label in is_agent; other label columns need a Parquet input');
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
