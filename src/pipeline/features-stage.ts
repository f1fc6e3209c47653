/**
 * The pipeline's features stage: the exported events (in memory) + price logs → `<out>/sessions.parquet`,
 * through the same library calls and file metadata as `phantom features` on events.parquet. The session
 * table is handed on in memory, as the DataTable the classifier and distill would read from the file.
 */
import { join } from 'node:path';
import type { EventsTable } from '../events/table.js';
import { loadPriceLogs, writeSessions, type FeaturesRunSummary, type SessionTable } from '../features/index.js';
import { featuresFromTable } from '../features/from-table.js';
import { sessionDataTable } from '../features/session-data-table.js';
import { sessionsFileMetadata } from '../features/run-features.js';
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
 * @example const { table, data } = await featuresStage(config, exp.events, exp.footer, null);
 */
export async function featuresStage(c: PipelineConfig, events: EventsTable, eventsFooter: Record<string, string>, pricePath: string | null): Promise<FeaturesStageResult> {
  const f = c.features;
  const priceLogs = pricePath === null ? null : await loadPriceLogs(pricePath);
  // labels are already in the events (the export joined them)
  const opts = { featureSet: f.featureSet, timeoutSec: f.timeoutSec, fillMissing: f.fillMissing, priceLogs, labels: { experiments: null, label: null } };
  const { table, summary } = featuresFromTable(events, opts, eventsFooter);
  const sessionsPath = join(c.out, 'sessions.parquet');
  const footer = sessionsFooter(table, sessionsFileMetadata(f, summary)); // the metadata `phantom features` writes
  const { sha256 } = await writeSessions(sessionsPath, table, { format: 'parquet', compression: c.export.compression, footer });
  return { sessionsPath, sha256: sha256!, table, data: sessionDataTable(table, footer), summary };
}
