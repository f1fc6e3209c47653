/**
 * The one events loader of every command that reads events (`features`, `kernels`, `separability`,
 * `clusters`, the pipeline): arguments → event files (io/input-paths.ts: a file, a glob, a folder, several
 * of them) → one events table, as if the files had been concatenated in that order. Events Parquet is read
 * as it is; raw records (.jsonl/.json/.csv) go through the same normaliser as `export`, rejected records
 * counted by reason, not fatal.
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { eventsFromArrow } from '../events/arrow.js';
import { concatEvents } from '../events/concat-events.js';
import { normalise, type RejectReason } from '../events/normalise.js';
import { EventsBuilder, type EventsTable } from '../events/table.js';
import { readFlags } from '../io/arrow-columns.js';
import { expandEventInputs } from '../io/input-paths.js';
import { readParquet } from '../io/parquet.js';
import { readFiles } from './files.js';

export interface RawLoadStats {
  records: number;
  rejected: Partial<Record<RejectReason, number>>;
  tsFromBroker: number;
}

/** True for inputs read as events Parquet. */
export function isParquetInput(path: string): boolean {
  return extname(path).toLowerCase() === '.parquet';
}

/**
 * One raw event file (JSON-lines, JSON array, console envelopes, CSV) → events, through `export`'s normaliser.
 * @example const { table, raw } = await loadRawEvents('fixtures/events.jsonl') // raw.rejected: { missing_field: 2 }
 */
export async function loadRawEvents(path: string): Promise<{ table: EventsTable; raw: RawLoadStats }> {
  const builder = new EventsBuilder(65_536);
  const raw: RawLoadStats = { records: 0, rejected: {}, tsFromBroker: 0 };
  for await (const batch of readFiles([path])) {
    for (const record of batch) {
      raw.records++;
      const r = normalise(record);
      if (!r.ok) raw.rejected[r.reason] = (raw.rejected[r.reason] ?? 0) + 1;
      else {
        if (r.tsFromBroker) raw.tsFromBroker++;
        builder.append(r.row);
      }
    }
  }
  return { table: builder.flush(), raw };
}

export interface LoadedEvents {
  table: EventsTable;
  /** event-level labels −1/0/1 from `labelColumn` */
  flags: Int8Array;
  /** the event files read, in order */
  files: string[];
  /** raw records that failed normalisation (raw inputs only) */
  rejected: number;
}

/**
 * Events and their labels from any mix of event files, folders and globs.
 * @example const { table, flags, files } = await loadEvents(['out/events/', 'late.jsonl'], { labelColumn: 'is_agent' })
 */
export async function loadEvents(inputs: readonly string[], opts: { labelColumn: string }): Promise<LoadedEvents> {
  const files = await expandEventInputs(inputs);
  if (opts.labelColumn !== 'is_agent') {
    const raw = files.find((f) => !isParquetInput(f));
    if (raw !== undefined) throw new UsageError(`--label-column: ${raw} holds raw event records, which carry their label in is_agent; other label columns need Parquet inputs`);
  }
  const tables: EventsTable[] = [], flags: Int8Array[] = [];
  let rejected = 0;
  for (const path of files) {
    if (isParquetInput(path)) {
      const arrowTable = await readParquet(path);
      const table = eventsFromArrow(arrowTable);
      tables.push(table);
      if (opts.labelColumn === 'is_agent') continue;
      const column = arrowTable.getChild(opts.labelColumn);
      if (column === null) throw new UsageError(`--label-column: ${path} has no column "${opts.labelColumn}" (columns: ${arrowTable.schema.fields.map((f) => f.name).join(', ')})`);
      flags.push(readFlags(column, table.length));
    } else {
      const { table, raw } = await loadRawEvents(path);
      tables.push(table);
      for (const n of Object.values(raw.rejected)) rejected += n ?? 0;
    }
  }
  const table = concatEvents(tables);
  const labels = opts.labelColumn === 'is_agent' ? table.isAgent : flags.length === 1 ? flags[0]! : concatFlags(flags);
  return { table, flags: labels, files, rejected };
}

function concatFlags(parts: readonly Int8Array[]): Int8Array {
  const out = new Int8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
