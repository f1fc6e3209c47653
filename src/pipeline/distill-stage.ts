/**
 * The pipeline's distill stage: the classifier and the session table (both in memory, as model.json and
 * sessions.parquet hold them) → `<out>/rules.json` and `<out>/rules.txt`, through the same library call
 * as `phantom distill model.json sessions.parquet`.
 */
import { join } from 'node:path';
import { DISTILL_DEFAULTS, parseTiers, runDistill, writeRules, type DistillRun, type ModelInMemory, type SessionsInMemory } from '../distill/index.js';
import { commandLine } from '../events/events-parquet.js';
import { phantomVersion } from '../models/classifier/model-file.js';
import type { PipelineConfig } from './config-schema.js';

export interface DistillStageResult {
  run: DistillRun;
  paths: { rules: string; text: string };
}

/**
 * Distil the classifier into pricing rules.
 * @example const { run } = await distillStage(config, { path, sha256, table }, { path, sha256, model }); run.document.fidelity.heldOut?.r2;
 */
export async function distillStage(c: PipelineConfig, sessions: SessionsInMemory, model: ModelInMemory, onStep?: (step: string) => void): Promise<DistillStageResult> {
  const d = c.distill;
  const run = await runDistill({
    sessions, model, purchaseModel: null, targetColumn: null, tiers: d.tiers === null ? null : parseTiers(d.tiers),
    exclude: d.exclude, allowOutcomeColumns: d.allowOutcomeColumns, priceColumn: d.priceColumn,
    coefficients: { a: d.agentWeight, b: d.purchaseWeight, lo: d.markupBounds[0], hi: d.markupBounds[1] },
    seed: d.seed, maxDepth: d.maxDepth, minSamplesLeaf: d.minSamplesLeaf ?? DISTILL_DEFAULTS.minSamplesLeaf, scaleMinSamplesLeaf: d.minSamplesLeaf === null,
    testSize: d.testSize, humanSafe: d.humanSafe, command: commandLine(), phantomVersion: phantomVersion(), ...(onStep ? { onStage: onStep } : {}),
  });
  const paths = { rules: join(c.out, 'rules.json'), text: join(c.out, 'rules.txt') };
  await writeRules(run, paths.rules, paths.text);
  return { run, paths };
}
