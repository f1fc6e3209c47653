/**
 * The one writer of "Parquet or CSV, by the file's extension" tables (sessions.parquet, `predict`'s scores,
 * `separability -o`'s gap scores): the caller builds Arrow record batches once (src/io/arrow-vectors.ts);
 * Parquet writes them, CSV prints the same values as text. One null convention (docs/parquet.md, "Tables
 * as CSV"): what phantom's columns hold as null (NaN, code −1, flag −1, a null string) is a Parquet null
 * and an empty CSV cell. Other cells: booleans `true`/`false`, numbers as JavaScript prints them (the
 * shortest text that reads back to the same double), text quoted per RFC 4180 when needed.
 */
import * as arrow from './arrow.js';
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import type { ParquetWriteOptions } from './parquet.js';
import { csvField, writeTextStream } from './text-out.js';

export type TableFormat = 'parquet' | 'csv';

/**
 * The format a table path asks for: `.parquet` or `.pq` → Parquet, `.csv` → CSV; anything else is a
 * UsageError naming the flag and the path.
 * @example tableFormatOf('scores.csv') // 'csv'
 */
export function tableFormatOf(path: string, flag = '-o'): TableFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv') return 'csv';
  throw new UsageError(`${flag} ${path}: a table is written as .parquet (or .pq) or .csv`);
}

export interface TableWriteOptions extends ParquetWriteOptions {
  /** default: from the path's extension (tableFormatOf) */
  format?: TableFormat;
  /**
   * CSV text of false and true (default `false`, `true`). `predict` passes `0`, `1`: its CSV `predicted`
   * column has always been 0/1 (a Parquet bool).
   */
  csvBooleans?: readonly [string, string];
}

const CSV_CHUNK = 1 << 20;
const decoder = new TextDecoder();

/** Is row i of `d` valid (not null)? */
function validity(d: arrow.Data): ((i: number) => boolean) | null {
  const bits = d.nullBitmap;
  if (d.nullCount === 0 || bits === undefined || bits.length === 0) return null;
  const off = d.offset;
  return (i) => ((bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1) === 1;
}

/** CSV text of a valid row of `d`, by its Arrow type. */
function valueText(d: arrow.Data, booleans: readonly [string, string]): (i: number) => string {
  const off = d.offset, t = d.type;
  if (arrow.DataType.isBool(t)) {
    const bits = d.values as Uint8Array;
    return (i) => booleans[(bits[(off + i) >> 3]! >> ((off + i) & 7)) & 1]!;
  }
  if (arrow.DataType.isFloat(t) || (arrow.DataType.isInt(t) && t.bitWidth <= 32)) {
    const v = d.values as Float64Array | Int32Array;
    return (i) => String(v[off + i]);
  }
  if (arrow.DataType.isUtf8(t)) {
    const offsets = d.valueOffsets as Int32Array, bytes = d.values as Uint8Array;
    return (i) => csvField(decoder.decode(bytes.subarray(offsets[off + i]!, offsets[off + i + 1]!)));
  }
  if (arrow.DataType.isDictionary(t)) {
    const quoted = Array.from(d.dictionary!.toArray() as ArrayLike<string>, (s) => csvField(s));
    const keys = d.values as Int32Array;
    return (i) => quoted[keys[off + i]!]!;
  }
  const v = arrow.makeVector(d);
  return (i) => csvField(String(v.get(i)));
}

/** The batches as CSV text: a header of the first batch's column names, then one line per row. */
async function* csvText(batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>, booleans: readonly [string, string]): AsyncGenerator<string> {
  let chunk = '', header = false;
  for await (const b of batches) {
    if (!header) {
      chunk += `${b.schema.fields.map((f) => csvField(f.name)).join(',')}\n`;
      header = true;
    }
    const cells = b.data.children.map((d) => {
      const text = valueText(d, booleans), valid = validity(d);
      return valid === null ? text : (i: number) => (valid(i) ? text(i) : '');
    });
    const last = cells.length - 1;
    for (let r = 0; r < b.numRows; r++) {
      for (let j = 0; j < last; j++) chunk += `${cells[j]!(r)},`;
      chunk += `${last >= 0 ? cells[last]!(r) : ''}\n`;
      if (chunk.length > CSV_CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk !== '') yield chunk;
}

/**
 * Write record batches to `path` as Parquet or CSV (by the extension unless `format` says), atomically.
 * Returns the rows written and, for Parquet, the SHA-256 of the file (null for CSV). The Parquet options
 * (compression, row-group size, footer metadata) apply to Parquet only.
 * @example await writeTable('scores.csv', [recordBatch([{ name: 'sessionId', data: utf8Data(ids), nullable: false }])])
 */
export async function writeTable(path: string, batches: AsyncIterable<arrow.RecordBatch> | Iterable<arrow.RecordBatch>, opts: TableWriteOptions = {}): Promise<{ rows: number; sha256: string | null }> {
  const { format = tableFormatOf(path), csvBooleans = ['false', 'true'], ...parquet } = opts;
  if (format === 'parquet') {
    // parquet-wasm only when writing Parquet: its module costs ≈ 0.07 s of CPU to load (docs/perf/readcmd.md)
    const { writeParquet } = await import('./parquet.js');
    return writeParquet(path, batches, parquet);
  }
  let rows = 0;
  async function* counted(): AsyncGenerator<arrow.RecordBatch> {
    for await (const b of batches) {
      rows += b.numRows;
      yield b;
    }
  }
  await writeTextStream(path, csvText(counted(), csvBooleans));
  return { rows, sha256: null };
}
