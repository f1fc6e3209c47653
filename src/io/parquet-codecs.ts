/**
 * Page compression for the Parquet encoder: zstd (level 3, @foxglove/wasm-zstd: the fastest of the npm
 * zstd builds measured in docs/parquet.md), snappy (pure TypeScript), gzip (node:zlib), none.
 */
import { gzipSync } from 'node:zlib';
import type { CompressionName } from './parquet.js';
import { CodecId } from './parquet-thrift.js';
import { snappyCompress } from './snappy.js';
import { loadZstd } from './wasm-zstd.js';

export interface ParquetCodec {
  name: CompressionName;
  /** CompressionCodec id written into column metadata */
  id: number;
  /** compress one page body; may return `page` itself (none) */
  compress(page: Uint8Array): Uint8Array;
}

// zstd's default level, 3, as arrow-rs (parquet-wasm) uses: see docs/parquet.md for level 1's trade
const ZSTD_LEVEL = 3;


/**
 * The codec for a compression name (zstd needs its WASM module loaded first, hence async).
 * @example const codec = await parquetCodec('zstd'); const page = codec.compress(bytes)
 */
export async function parquetCodec(name: CompressionName): Promise<ParquetCodec> {
  switch (name) {
    case 'zstd': {
      const z = await loadZstd();
      return { name, id: CodecId.ZSTD, compress: (page) => z.compress(page, ZSTD_LEVEL) };
    }
    case 'snappy':
      return { name, id: CodecId.SNAPPY, compress: snappyCompress };
    case 'gzip':
      return { name, id: CodecId.GZIP, compress: (page) => gzipSync(page) };
    case 'none':
      return { name, id: CodecId.UNCOMPRESSED, compress: (page) => page };
  }
}
