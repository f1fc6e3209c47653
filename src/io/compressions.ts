/**
 * The Parquet compression codecs phantom writes, in their own module so a command can list them (its
 * `--compression` choices) without loading parquet-wasm (docs/perf/pgstart.md).
 */
export const COMPRESSIONS = ['zstd', 'snappy', 'gzip', 'none'] as const;
export type CompressionName = (typeof COMPRESSIONS)[number];
