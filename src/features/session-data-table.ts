/**
 * The session table as the learners' DataTable (models/dataset), in memory: exactly what
 * `readDataTable('sessions.parquet')` gives for the file `writeSessions` writes from it — same columns,
 * types, footer — so the pipeline hands its sessions to the classifier and distill without reading them back.
 */
import type { DataColumn, DataTable } from '../models/dataset/data-table.js';
import { tableFromArrow } from '../models/dataset/data-table.js';
import type { SessionTable } from './session-table.js';
import { sessionsArrowTable } from './write-sessions.js';

/** A category column with only the values it holds, in order of first appearance (as a Parquet dictionary reads back). */
function compactCategories(c: Extract<DataColumn, { kind: 'category' }>): DataColumn {
  const remap = new Int32Array(c.dict.length).fill(-1);
  const dict: string[] = [];
  const codes = new Int32Array(c.codes.length);
  for (let i = 0; i < codes.length; i++) {
    const k = c.codes[i]!;
    if (k < 0) codes[i] = -1;
    else {
      if (remap[k] === -1) remap[k] = dict.push(c.dict[k]!) - 1;
      codes[i] = remap[k]!;
    }
  }
  return { name: c.name, kind: 'category', codes, dict };
}

/**
 * The DataTable of a session table with the given sessions.parquet footer (sessionsFooter).
 * @example const data = sessionDataTable(table, sessionsFooter(table)); trainingData(data, { label: 'is_agent', exclude: [] });
 */
export function sessionDataTable(t: SessionTable, footer: Record<string, string>): DataTable {
  const table = tableFromArrow(sessionsArrowTable(t, footer));
  return { ...table, columns: table.columns.map((c) => (c.kind === 'category' ? compactCategories(c) : c)) };
}
