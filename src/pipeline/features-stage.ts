/**
 * The pipeline's features stage: the exported events (in memory) + price logs → `<out>/sessions.parquet`,
 * through `runFeatures`, the library call `phantom features events.parquet` runs, and the same file
 * metadata. The session table is handed on in memory, as the DataTable the classifier and distill would
 * read from the file.
 */
import { join } from 'node:path';
import { writeSessions, type FeaturesRunSummary, type SessionTable } from '../features/index.js';
import { sessionDataTable } from '../features/session-data-table.js';
import { FEATURES_DEFAULTS, runFeatures, sessionsFileMetadata, type EventsInMemory } from '../features/run-features.js';
import { sessionsFooter } from '../features/write-sessions.js';
import type { DataTable } from '../models/dataset/data-table.js';
import type { PipelineConfig } from './config-schema.js';

export interface FeaturesStageResult {
  sessionsPath: string;
  /** SHA-256 of sessions.parquet as written */
  sha256: string;
  table: SessionTable;
  /** the session table as readDataTable reads sessions.parquet */
  data: DataTable;
  summary: FeaturesRunSummary;
}

/**
 * Compute the session features of the exported events and write sessions.parquet.
 * @example const { table, data } = await featuresStage(config, { path: exp.eventsPath, table: exp.events, footer: exp.footer }, null);
 */
export async function featuresStage(c: PipelineConfig, events: EventsInMemory, pricePath: string | null): Promise<FeaturesStageResult> {
  const f = c.features;
  // labels are already in the events (the export joined them): no experiments table, no label value
  const { table, summary } = await runFeatures(events, {
    ...FEATURES_DEFAULTS, featureSet: f.featureSet, timeoutSec: f.timeoutSec, fillMissing: f.fillMissing, priceLogs: pricePath, compression: c.export.compression,
  });
  const sessionsPath = join(c.out, 'sessions.parquet');
  const footer = sessionsFooter(table, sessionsFileMetadata(f, summary)); // the metadata `phantom features` writes
  const { sha256 } = await writeSessions(sessionsPath, table, { format: 'parquet', compression: c.export.compression, footer });
  return { sessionsPath, sha256: sha256!, table, data: sessionDataTable(table, footer), summary };
}
