/**
 * Crash recovery for directory output with a consumer group: which Kafka offsets past the committed ones
 * are already in part files. A run killed after renaming a file but before committing its offsets left
 * records the group will deliver again; they are skipped, so the union of all part files holds every
 * record exactly once. Only footers are read for most files (`phantom.src_ranges`); a file's offset
 * columns are read only when its ranges reach past a committed offset.
 */
import { type Dirent, openAsBlob } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as arrow from '../io/arrow.js';
import type * as ParquetWasm from 'parquet-wasm/node';
import { guardParquet } from '../io/parquet-guard.js';
import { readNumbers, readStrings } from '../io/arrow-columns.js';
import { tpKey } from '../sources/kafka-offsets.js';
import { SRC_RANGES_KEY, type SrcRange } from './src-ranges.js';

// parquet-wasm compiles ~5 MB of WebAssembly when loaded: only a --group export with part files on disk reads them
let pwLoaded: Promise<typeof ParquetWasm> | null = null;
const parquetWasm = (): Promise<typeof ParquetWasm> => (pwLoaded ??= import('parquet-wasm/node'));

/** Part files under the directory (recursively), skipping temporary and hidden files. */
async function partFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out; // nothing written yet
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await partFiles(path)));
    else if (e.name.endsWith('.parquet')) out.push(path);
  }
  return out;
}

async function readRanges(path: string): Promise<SrcRange[]> {
  const pw = await parquetWasm();
  const file = await guardParquet(path, async () => pw.ParquetFile.fromFile(await openAsBlob(path)));
  try {
    const text = file.metadata().fileMetadata().keyValueMetadata().get(SRC_RANGES_KEY) as string | undefined;
    return text === undefined ? [] : (JSON.parse(text) as SrcRange[]);
  } finally {
    file.free();
  }
}

async function readProvenance(path: string): Promise<{ topics: (string | null)[]; partitions: Float64Array; offsets: Float64Array }> {
  const pw = await parquetWasm();
  const file = await guardParquet(path, async () => pw.ParquetFile.fromFile(await openAsBlob(path)));
  try {
    const table = await guardParquet(path, async () => arrow.tableFromIPC((await file.read({ columns: ['src_topic', 'src_partition', 'src_offset'] })).intoIPCStream()));
    const n = table.numRows;
    return { topics: readStrings(table.getChild('src_topic'), n), partitions: readNumbers(table.getChild('src_partition'), n), offsets: readNumbers(table.getChild('src_offset'), n) };
  } finally {
    file.free();
  }
}

/** Reads footers once per file: part files are immutable once renamed into place. */
export class ExportedOffsets {
  private readonly ranges = new Map<string, SrcRange[]>();

  constructor(private readonly dir: string) {}

  /**
   * Offsets, per `tpKey`, of records already in part files at or past the committed offset, for the
   * given partitions (absent committed offset = everything counts).
   * @example const found = await new ExportedOffsets('out').beyond(new Set([tpKey('t', 0)]), committed);
   */
  async beyond(partitions: ReadonlySet<string>, committed: ReadonlyMap<string, number>): Promise<Map<string, Set<number>>> {
    const found = new Map<string, Set<number>>();
    for (const path of await partFiles(this.dir)) {
      let ranges = this.ranges.get(path);
      if (ranges === undefined) this.ranges.set(path, (ranges = await readRanges(path)));
      const relevant = ranges.some(([t, p, , last]) => partitions.has(tpKey(t, p)) && last >= (committed.get(tpKey(t, p)) ?? -1));
      if (!relevant) continue;
      const { topics, partitions: parts, offsets } = await readProvenance(path);
      for (let i = 0; i < offsets.length; i++) {
        const t = topics[i] ?? null;
        if (t === null || Number.isNaN(parts[i]!)) continue;
        const key = tpKey(t, parts[i]!);
        if (!partitions.has(key) || offsets[i]! < (committed.get(key) ?? -1)) continue;
        (found.get(key) ?? found.set(key, new Set()).get(key)!).add(offsets[i]!);
      }
    }
    return found;
  }
}
