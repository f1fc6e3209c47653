/**
 * The pipeline's features stage: events.parquet (+ price logs) → `<out>/sessions.parquet`, through
 * the same library calls and file metadata as `phantom features`.
 */
import { join } from 'node:path';
import { featuresFromFiles, loadPriceLogs, writeSessions, type FeaturesRunSummary, type SessionTable } from '../features/index.js';
import type { PipelineConfig } from './config-schema.js';

export interface FeaturesStageResult {
  sessionsPath: string;
  table: SessionTable;
  summary: FeaturesRunSummary;
}

/**
 * Compute the session features of the exported events and write sessions.parquet.
 * @example const { table } = await featuresStage(config, 'phantom-out/events.parquet', null);
 */
export async function featuresStage(c: PipelineConfig, eventsPath: string, pricePath: string | null): Promise<FeaturesStageResult> {
  const f = c.features;
  const priceLogs = pricePath === null ? null : await loadPriceLogs(pricePath);
  // labels are already in events.parquet (the export joined them)
  const opts = { featureSet: f.featureSet, timeoutSec: f.timeoutSec, fillMissing: f.fillMissing, priceLogs, labels: { experiments: null, label: null } };
  const { table, summary } = await featuresFromFiles([eventsPath], opts, 1);
  const sessionsPath = join(c.out, 'sessions.parquet');
  await writeSessions(sessionsPath, table, {
    format: 'parquet', compression: c.export.compression,
    metadata: { 'phantom.timeout_sec': String(f.timeoutSec), 'phantom.fill_missing': f.fillMissing === null ? 'none' : String(f.fillMissing), 'phantom.events': String(summary.events) },
  });
  return { sessionsPath, table, summary };
}
