/**
 * Page checksums of Parquet files (docs/formats.md, "Page checksums"). A page header may carry `crc`
 * (field 4): the standard CRC-32 (polynomial 0x04C11DB7, as in gzip) of the page's bytes as stored — after
 * compression, header excluded. phantom's writer (parquet-encode.ts) stores one on every page it writes,
 * and every read checks every page that has one before decoding, so a damaged page is refused instead of
 * decoded: a few flipped bytes inside a zstd page can still inflate to a well-formed page with other values
 * (docs/perf/readcmd.md). Files written without checksums (DuckDB, pyarrow's default) read as before.
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { Compact, list, need, num, struct, type TStruct, Unsupported } from './thrift-compact-read.js';

const MAGIC = 0x31524150; // "PAR1" little-endian

/** A page whose stored CRC-32 does not match its bytes. */
export class PageChecksumMismatch extends Error {
  constructor(column: string, pageAt: number, stored: number, computed: number) {
    super(`page checksum mismatch in column ${column}, page at byte ${pageAt}: CRC-32 stored ${hex(stored)}, computed ${hex(computed)}; the file is damaged`);
    this.name = 'PageChecksumMismatch';
  }
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The CRC-32 a page header stores for the page bytes `raw` (Thrift i32: signed). */
export const pageCrc = (raw: Uint8Array): number => crc32(raw) | 0;

/** The dotted column path of column chunk metadata `cm` (field 3, path_in_schema). */
export function chunkColumn(cm: TStruct): string {
  const dec = new TextDecoder();
  return list(cm, 3).map((p) => (p instanceof Uint8Array ? dec.decode(p) : '?')).join('.');
}

/**
 * Throw PageChecksumMismatch if page header `ph` carries a CRC that the page bytes `raw` (at byte `pageAt`
 * of the file) do not have; true if it carried one.
 */
export function checkPage(ph: TStruct, raw: Uint8Array, cm: TStruct, pageAt: number): boolean {
  const stored = num(ph, 4);
  if (stored === undefined) return false;
  const computed = pageCrc(raw);
  if (computed !== stored) throw new PageChecksumMismatch(chunkColumn(cm), pageAt, stored, computed);
  return true;
}

/** Where column chunk `cm` (ColumnMetaData) starts in the file: its dictionary page when it has one, else its first data page. */
export function chunkStart(cm: TStruct): number {
  const dictOffset = num(cm, 11);
  const dataOffset = need(cm, 9);
  return dictOffset !== undefined && dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
}

/** The footer bytes of a whole Parquet file held in `bytes` (PAR1 at both ends, a footer length that fits), or null. */
export function wholeFileFooter(bytes: Uint8Array): Uint8Array | null {
  const size = bytes.byteLength;
  if (size < 12 || new DataView(bytes.buffer, bytes.byteOffset, size).getUint32(0, true) !== MAGIC) return null;
  const len = footerLength(bytes.subarray(size - 8), size);
  return len === null ? null : bytes.subarray(size - 8 - len, size - 8);
}

/** The column chunks of a footer, each with its byte range [start, end) in the file; null where the walker cannot follow. */
function chunkRanges(meta: TStruct, dataEnd: number): { cm: TStruct; start: number; end: number }[] | null {
  const out: { cm: TStruct; start: number; end: number }[] = [];
  for (const rg of list(meta, 4) as TStruct[]) {
    for (const chunk of list(rg, 1) as TStruct[]) {
      const cm = struct(chunk, 3);
      if (cm === undefined || chunk.has(1)) return null; // no metadata here, or an external file
      const start = chunkStart(cm);
      const end = start + need(cm, 7);
      if (start < 4 || end > dataEnd) return null;
      out.push({ cm, start, end });
    }
  }
  return out;
}

/** The footer of a file of `size` bytes whose last 8 bytes are `tail`: its length, or null if this is not Parquet. */
function footerLength(tail: Uint8Array, size: number): number | null {
  const dv = new DataView(tail.buffer, tail.byteOffset, 8);
  if (size < 12 || dv.getUint32(4, true) !== MAGIC) return null;
  const len = dv.getUint32(0, true);
  return len > size - 12 ? null : len;
}

/** Walk the pages of one chunk held in `buf` (the file's bytes from offset `base`); false where the walker cannot follow. */
function walkChunkPages(buf: Uint8Array, base: number, c: { cm: TStruct; start: number; end: number }, out: { pages: number; checked: number }): boolean {
  let pos = c.start - base;
  const end = c.end - base;
  while (pos < end) {
    const r = new Compact(buf, pos);
    const ph = r.struct();
    const next = r.pos + need(ph, 3);
    if (next > end) return false;
    out.pages++;
    if (checkPage(ph, buf.subarray(r.pos, next), c.cm, base + pos)) out.checked++;
    pos = next;
  }
  return true;
}

const followable = (err: unknown): boolean => err instanceof Unsupported || err instanceof RangeError || err instanceof TypeError;

/**
 * Check every page of a whole Parquet file held in `bytes` that carries a checksum. Throws
 * PageChecksumMismatch on the first page that fails; a file whose footer or page headers this walker cannot
 * follow is left to the decoder (it stops there without an error). Returns the pages walked and checked.
 * @example verifyPageChecksums(new Uint8Array(await readFile('events.parquet'))) // { pages: 42, checked: 42 }
 */
export function verifyPageChecksums(bytes: Uint8Array): { pages: number; checked: number } {
  const out = { pages: 0, checked: 0 };
  try {
    const footer = wholeFileFooter(bytes);
    if (footer === null) return out;
    const chunks = chunkRanges(new Compact(footer).struct(), bytes.byteLength - 8 - footer.length);
    for (const c of chunks ?? []) if (!walkChunkPages(bytes, 0, c, out)) return out;
  } catch (err) {
    if (!followable(err)) throw err;
  }
  return out;
}

/**
 * The same for a file on disk, one column chunk in memory at a time (for files read as a stream). A file
 * whose first page has no checksum is taken to have none (writers store them on every page or on none),
 * so such a file costs one footer and one page header.
 * @example await verifyFilePageChecksums('events.parquet') // { pages: 42, checked: 42 }
 */
export async function verifyFilePageChecksums(path: string): Promise<{ pages: number; checked: number }> {
  const out = { pages: 0, checked: 0 };
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const read = async (at: number, n: number, into?: Uint8Array): Promise<Uint8Array> => {
      const buf = into !== undefined && into.length >= n ? into.subarray(0, n) : new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const { bytesRead } = await fh.read(buf, got, n - got, at + got);
        if (bytesRead === 0) throw new Unsupported('file ends early');
        got += bytesRead;
      }
      return buf;
    };
    if (size < 12) return out;
    const len = footerLength(await read(size - 8, 8), size);
    if (len === null) return out;
    const chunks = chunkRanges(new Compact(await read(size - 8 - len, len)).struct(), size - 8 - len);
    if (chunks === null || chunks.length === 0) return out;
    // the first page header (at most a few hundred bytes: statistics of short values)
    const first = chunks[0]!;
    const head = await read(first.start, Math.min(first.end - first.start, 4096));
    if (num(new Compact(head).struct(), 4) === undefined) return out;
    let scratch = new Uint8Array(0);
    for (const c of chunks) {
      if (scratch.length < c.end - c.start) scratch = new Uint8Array(c.end - c.start);
      if (!walkChunkPages(await read(c.start, c.end - c.start, scratch), c.start, c, out)) return out;
    }
  } catch (err) {
    if (!followable(err)) throw err;
  } finally {
    await fh.close();
  }
  return out;
}
