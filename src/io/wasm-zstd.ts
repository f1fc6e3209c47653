/**
 * @foxglove/wasm-zstd, loaded once per thread (the package is CommonJS and compiles its WASM on load): the
 * Parquet encoder compresses pages with it (io/parquet-codecs.ts), the direct reader inflates them
 * (io/parquet-read-pages.ts).
 */
import { createRequire } from 'node:module';

export interface WasmZstd {
  isLoaded: Promise<boolean>;
  compress(buffer: Uint8Array, level?: number): Uint8Array;
  /** `size`: the exact inflated size (a Parquet page header's uncompressed_page_size); throws on a bad frame */
  decompress(buffer: Uint8Array, size: number): Uint8Array;
}

let zstd: Promise<WasmZstd> | null = null;

/** @example const z = await loadZstd(); const page = z.decompress(bytes, uncompressedSize); */
export function loadZstd(): Promise<WasmZstd> {
  zstd ??= (async () => {
    const mod = createRequire(import.meta.url)('@foxglove/wasm-zstd') as WasmZstd;
    await mod.isLoaded;
    return mod;
  })();
  return zstd;
}
