/**
 * The export sources and the export loop, loaded when first called (docs/perf/startup-imports.md).
 * Each source pulls in its own client library at import: Kafka → kafkajs, Postgres → pg and pg-cursor,
 * Supabase REST → ws, access logs → zod, files → the CSV/JSON/Parquet readers; run-export → the sinks.
 * Imported statically they cost every `phantom export` (and `export --help`, and `pipeline`) ~0.3 s of CPU, whichever source it uses.
 * Same names and signatures as the modules they wrap, so callers change only their import line.
 */
import type * as AccessLog from './access-log-source.js';
import type * as Run from './run-export.js';
import type * as Sources from './sources.js';
import type * as StreamSource from './stream-source.js';
import type * as Files from '../sources/files.js';
import type * as Postgres from '../sources/postgres.js';
import type * as SupabaseRest from '../sources/supabase-rest.js';
import type { RawBatch } from '../sources/types.js';
import type { ExportSource } from './types.js';

/** sources.ts's kafkaExportSource (kafkajs). */
export async function kafkaExportSource(...a: Parameters<typeof Sources.kafkaExportSource>): Promise<ExportSource> {
  return (await import('./sources.js')).kafkaExportSource(...a);
}

/** stream-source.ts's streamSource, awaited (the module is small; kept lazy with its callers). */
export async function streamSource(...a: Parameters<typeof StreamSource.streamSource>): Promise<ExportSource> {
  return (await import('./stream-source.js')).streamSource(...a);
}

/** access-log-source.ts's openAccessLogSource (zod URL rules, the log parser). */
export async function openAccessLogSource(...a: Parameters<typeof AccessLog.openAccessLogSource>): Promise<ExportSource> {
  return (await import('./access-log-source.js')).openAccessLogSource(...a);
}

/** files.ts's readFiles (the CSV, JSON and Parquet readers): the same batches, through one more generator. */
export async function* readFiles(...a: Parameters<typeof Files.readFiles>): AsyncGenerator<RawBatch> {
  yield* (await import('../sources/files.js')).readFiles(...a);
}

/** postgres.ts's readPostgres (pg, pg-cursor): the same batches, through one more generator. */
export async function* readPostgres(...a: Parameters<typeof Postgres.readPostgres>): AsyncGenerator<RawBatch> {
  yield* (await import('../sources/postgres.js')).readPostgres(...a);
}

/** supabase-rest.ts's readSupabaseRest (ws): the same batches, through one more generator. */
export async function* readSupabaseRest(...a: Parameters<typeof SupabaseRest.readSupabaseRest>): AsyncGenerator<RawBatch> {
  yield* (await import('../sources/supabase-rest.js')).readSupabaseRest(...a);
}

/** run-export.ts's runExport (the sinks, parquet-wasm). */
export async function runExport(...a: Parameters<typeof Run.runExport>): ReturnType<typeof Run.runExport> {
  return (await import('./run-export.js')).runExport(...a);
}
