/**
 * The file side of phantom's Parquet encoder, shared by events.parquet (events/events-parquet.ts) and the flat
 * tables (parquet-flat-write.ts): the leading magic, row groups encoded beforehand and appended in order
 * (their column offsets shifted to where they land), then the footer written once at the end — no footer
 * rewrite. The file is written under a temporary name beside the target and renamed into place by `finish`;
 * a failure (or `abort`) removes it, so a good file under the final name is never replaced by a partial one.
 * The SHA-256 of the bytes is computed as they are written.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commitTemp, tempPathFor } from './atomic.js';
import { ensureDir } from './ensure-dir.js';
import { type ColumnMetaData, encodeFileMetaData, type RowGroupMetaData, type SchemaElement } from './parquet-thrift.js';

/** One encoded row group: every column chunk's pages back to back, offsets relative to `bytes`. */
export interface RowGroupBytes {
  numRows: number;
  bytes: Uint8Array;
  columns: ColumnMetaData[];
}

const MAGIC = Buffer.from('PAR1', 'latin1');

/**
 * A Parquet file written front to back. Calls must not overlap. The same row groups, schema and metadata give
 * byte-identical files.
 * @example const f = await ParquetFileWriter.open('t.parquet'); await f.appendRowGroup(rg); await f.finish(schema, [['k', 'v']])
 */
export class ParquetFileWriter {
  private offset = MAGIC.length;
  private rowCount = 0;
  private readonly rowGroups: RowGroupMetaData[] = [];
  private closed = false;
  private readonly hash = createHash('sha256');

  private constructor(readonly path: string, private readonly tmp: string, private readonly fh: FileHandle) {}

  /** Create the temporary file beside `path` (and missing folders) and write the leading magic. */
  static async open(path: string): Promise<ParquetFileWriter> {
    await ensureDir(dirname(path));
    const tmp = tempPathFor(path);
    const fh = await open(tmp, 'w');
    const w = new ParquetFileWriter(path, tmp, fh);
    await w.write(MAGIC);
    return w;
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Append one encoded row group (its bytes may be reused once this resolves). */
  async appendRowGroup(rg: RowGroupBytes): Promise<void> {
    await this.write(rg.bytes);
    const base = this.offset;
    const columns = rg.columns.map((c) => ({
      ...c,
      dataPageOffset: c.dataPageOffset + base,
      ...(c.dictionaryPageOffset === undefined ? {} : { dictionaryPageOffset: c.dictionaryPageOffset + base }),
    }));
    const size = (key: 'totalUncompressedSize' | 'totalCompressedSize'): number => columns.reduce((s, c) => s + c[key], 0);
    this.rowGroups.push({ columns, totalByteSize: size('totalUncompressedSize'), numRows: rg.numRows, fileOffset: base, totalCompressedSize: size('totalCompressedSize'), ordinal: this.rowGroups.length });
    this.offset += rg.bytes.length;
    this.rowCount += rg.numRows;
  }

  /** Write the footer (schema, row groups, key/value metadata in the order given), fsync and rename into place. */
  async finish(schema: SchemaElement[], keyValueMetadata: [string, string][]): Promise<{ rows: number; sha256: string }> {
    const footer = encodeFileMetaData({ schema, numRows: this.rowCount, rowGroups: this.rowGroups, keyValueMetadata, createdBy: 'phantom' });
    const tail = Buffer.alloc(footer.length + 8);
    tail.set(footer, 0);
    tail.writeUInt32LE(footer.length, footer.length);
    MAGIC.copy(tail, footer.length + 4);
    await this.write(tail);
    await this.guard(async () => {
      this.closed = true;
      await this.fh.close();
      await commitTemp(this.tmp, this.path);
    });
    return { rows: this.rowCount, sha256: this.hash.digest('hex') };
  }

  /** Stop: close and remove the temporary file; nothing lands under the final name. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close().catch(() => undefined);
    }
    await rm(this.tmp, { force: true });
  }

  private async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    await this.guard(() => this.fh.writeFile(bytes));
  }

  /** Run a file operation; on failure remove the temporary file and rethrow. */
  private async guard(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      await this.abort();
      throw err;
    }
  }
}
