/**
 * CSV → DataTable with per-column type inference, as pandas' read_csv would see the file: a column whose
 * non-null cells all parse as numbers is numeric, all true/false is boolean (0/1), anything else is a
 * category. Null cells: empty, NA, NaN, nan, null, NULL, None (what pandas and DuckDB write).
 */
import { UsageError } from '../../errors.js';
import { readCsvRows } from '../../io/csv.js';
import type { DataColumn, DataTable } from './data-table.js';

const NULLS = new Set(['', 'NA', 'NaN', 'nan', 'null', 'NULL', 'None', 'N/A', '<NA>']);
const BOOLS: Readonly<Record<string, number>> = { true: 1, True: 1, TRUE: 1, false: 0, False: 0, FALSE: 0 };
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INFINITIES: Readonly<Record<string, number>> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, Infinity: Infinity, '-Infinity': -Infinity };

/** Parse a numeric cell; NaN when it is not a number. */
function parseNumber(s: string): number {
  if (NUMBER.test(s)) return Number(s);
  return INFINITIES[s] ?? NaN;
}

/**
 * Read a CSV file with a header row into typed columns.
 * @example const t = await readCsvTable('sessions.csv'); t.columns[0].kind; // 'category' for sessionId
 */
export async function readCsvTable(path: string): Promise<DataTable> {
  let header: string[] | null = null;
  const cells: string[][] = [];
  try {
    for await (const row of readCsvRows(path)) {
      if (header === null) { header = row.map((h) => h.trim()); continue; }
      if (row.length === 1 && row[0] === '') continue; // blank line
      if (row.length !== header.length) throw new UsageError(`${path}: line ${cells.length + 2} has ${row.length} fields, the header has ${header.length}`);
      cells.push(row);
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (header === null) throw new UsageError(`${path} is empty: a CSV table needs a header row`);
  const dup = header.find((h, i) => header!.indexOf(h) !== i);
  if (dup !== undefined) throw new UsageError(`${path}: column '${dup}' appears twice in the header`);
  const columns = header.map((name, j) => inferColumn(name, cells, j));
  return { nRows: cells.length, columns, metadata: {}, skipped: [] };
}

function inferColumn(name: string, cells: string[][], j: number): DataColumn {
  // every row was checked to have the header's number of fields, so `?? ''` (a null) never applies
  const strings = cells.map((row) => row[j] ?? '');
  let numeric = true, boolean = true;
  for (const s of strings) {
    if (!numeric && !boolean) break;
    if (NULLS.has(s)) continue;
    if (boolean && !(s in BOOLS)) boolean = false;
    if (numeric && Number.isNaN(parseNumber(s))) numeric = false;
  }
  if (numeric || boolean) {
    const values = Float64Array.from(strings, (s) => (NULLS.has(s) ? NaN : numeric ? parseNumber(s) : (BOOLS[s] ?? NaN)));
    return { name, kind: 'numeric', values, boolean: !numeric };
  }
  const codes = new Int32Array(strings.length);
  const dict: string[] = [];
  const index = new Map<string, number>();
  for (const [i, s] of strings.entries()) {
    if (NULLS.has(s)) { codes[i] = -1; continue; }
    let c = index.get(s);
    if (c === undefined) { c = dict.push(s) - 1; index.set(s, c); }
    codes[i] = c;
  }
  return { name, kind: 'category', codes, dict };
}
