/**
 * A generic columnar table for the learners: what any sessions.parquet or CSV holds, whoever wrote it
 * (phantom, pandas, DuckDB). Numeric and boolean columns become Float64Array with NaN for null; string
 * and dictionary columns become dictionary columns. Nothing here knows phantom's feature registry.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as arrow from '../../io/arrow.js';
import { UsageError } from '../../errors.js';
import { readDictColumn, readFlags, readNumbers } from '../../io/arrow-columns.js';
import { PageChecksumMismatch } from '../../io/parquet-checksums.js';
import { unreadableParquet } from '../../io/parquet-guard.js';
import { readFlatParquet } from '../../io/parquet-read-flat.js';
import { readCsvTable } from './csv-table.js';

/** One column: numbers (NaN = null; booleans as 0/1) or categories (code −1 = null). */
export type DataColumn =
  | { name: string; kind: 'numeric'; values: Float64Array; boolean: boolean }
  | { name: string; kind: 'category'; codes: Int32Array; dict: string[] };

export interface DataTable {
  nRows: number;
  columns: DataColumn[];
  /** Parquet footer key/value metadata (empty for CSV). */
  metadata: Record<string, string>;
  /** Columns of types the learners cannot use (lists, structs, binary), left out. */
  skipped: string[];
}

// the file each table was read from (readDataTable), kept beside the table so its shape stays the data alone
const sources = new WeakMap<DataTable, string>();

/**
 * How a message names a table: the file it was read from, else "the data".
 * @example throw new UsageError(`${tableName(t)} has no label column 'is_agent'`);
 */
export function tableName(t: DataTable): string {
  return sources.get(t) ?? 'the data';
}

/**
 * Read a table from `.parquet` or `.csv` (decided by the extension; `.pq` is Parquet too).
 * @example const t = await readDataTable('sessions.parquet'); t.columns.map((c) => c.name);
 */
export async function readDataTable(path: string): Promise<DataTable> {
  const t = await readTableOf(path);
  sources.set(t, path);
  return t;
}

async function readTableOf(path: string): Promise<DataTable> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return readCsvTable(path);
  if (ext === '.parquet' || ext === '.pq') {
    let bytes: Buffer | undefined;
    try {
      bytes = await readFile(path);
    } catch {
      // readParquet names the file and the problem
    }
    let flat: DataTable | null = null;
    try {
      flat = bytes === undefined ? null : await readFlatTable(bytes);
    } catch (err) {
      if (err instanceof PageChecksumMismatch) throw unreadableParquet(path, err);
      throw err;
    }
    if (flat !== null) return flat;
    // parquet-wasm only when needed: its module alone costs ≈ 0.07 s of CPU to load
    const { readParquet } = await import('../../io/parquet.js');
    return tableFromArrow(await readParquet(path, bytes === undefined ? {} : { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }));
  }
  throw new UsageError(`${path}: expected a .parquet or .csv file`);
}

/**
 * A flat file of number, boolean and string columns, decoded directly (the same values and codes as through
 * parquet-wasm and Arrow, without their one-time cost: docs/perf/distill-read.md, docs/perf/readcmd.md); null
 * for any other file (readParquet then reads the same bytes, and reports a file that cannot be read).
 */
async function readFlatTable(bytes: Uint8Array): Promise<DataTable | null> {
  const flat = await readFlatParquet(bytes);
  if (flat === null) return null;
  return { nRows: flat.nRows, columns: flat.columns, metadata: flat.metadata, skipped: [] };
}

/**
 * An Arrow table as a DataTable.
 * @example tableFromArrow(await readParquet('sessions.parquet'))
 */
export function tableFromArrow(table: arrow.Table): DataTable {
  const n = table.numRows;
  const columns: DataColumn[] = [];
  const skipped: string[] = [];
  for (const field of table.schema.fields) {
    const vec = table.getChild(field.name);
    const t = field.type;
    if (arrow.DataType.isDictionary(t) || arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) {
      columns.push({ name: field.name, kind: 'category', ...readDictColumn(vec, n) });
    } else if (arrow.DataType.isBool(t)) {
      const flags = readFlags(vec, n);
      columns.push({ name: field.name, kind: 'numeric', values: Float64Array.from(flags, (x) => (x < 0 ? NaN : x)), boolean: true });
    } else if (arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) {
      columns.push({ name: field.name, kind: 'numeric', values: readNumbers(vec, n), boolean: false });
    } else {
      skipped.push(field.name);
    }
  }
  return { nRows: n, columns, metadata: Object.fromEntries(table.schema.metadata), skipped };
}

/** The column called `name`, or undefined. */
export function columnOf(t: DataTable, name: string): DataColumn | undefined {
  return t.columns.find((c) => c.name === name);
}
