/**
 * A Parquet file's footer key/value metadata without decoding any row, through the one guarded read path
 * (parquet-guard.ts): a corrupt or truncated file is a UsageError naming it (exit 2), never a WebAssembly trap.
 */
import { openAsBlob } from 'node:fs';
import { guardParquet } from './parquet-guard.js';

/**
 * Key/value metadata of the footer.
 * @example (await readFooterKeyValues('events.parquet')).get('phantom.kind') // 'events'
 */
export async function readFooterKeyValues(path: string): Promise<Map<string, string>> {
  // parquet-wasm loaded here, not with the module: readers of label_columns' key alone (distill) never need it
  const pw = await import('parquet-wasm/node');
  return guardParquet(path, async () => {
    const file = await pw.ParquetFile.fromFile(await openAsBlob(path));
    try {
      return new Map(file.metadata().fileMetadata().keyValueMetadata() as Map<string, string>);
    } finally {
      file.free();
    }
  });
}
