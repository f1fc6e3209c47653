/**
 * `distill` as one library call (what the command and the pipeline run): load the inputs, distil, compute
 * the revenue impact, assemble rules.json and rules.txt; and the atomic write of both files.
 */
import { atomicWriteFile } from '../io/atomic.js';
import { createRng } from '../stats/rng.js';
import { distill, DISTILL_DEFAULTS, type DistillResult } from './distill.js';
import { loadDistillInputs, type DistillInputs, type DistillSources } from './load-inputs.js';
import { humanSafeSummary } from './human-safe-summary.js';
import { HUMAN_SAFE_DEFAULTS, type HumanSafeOptions } from './human-safe.js';
import { revenueImpact } from './revenue.js';
import { rulesDocument, rulesText, type RulesDocument } from './rules-document.js';
import { resolveCoefficients, type MarkupCoefficients } from './teacher.js';
import type { MarkupTier } from './tiers.js';

export interface RunDistillOptions extends Omit<DistillSources, 'purchaseRng' | 'tiers' | 'coefficients'> {
  tiers: MarkupTier[] | null;
  coefficients?: Partial<MarkupCoefficients>;
  seed?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  scaleMinSamplesLeaf?: boolean;
  testSize?: number;
  /** the human-safe rules' bounds; default HUMAN_SAFE_DEFAULTS when a model gives p_agent and a markup (or tiers) is distilled; null = off */
  humanSafe?: HumanSafeOptions | null;
  /** recorded in rules.json */
  command: string;
  onStage?: (stage: string) => void;
  phantomVersion: string;
}

export interface DistillRun {
  document: RulesDocument;
  text: string;
  result: DistillResult;
  inputs: DistillInputs;
}

/**
 * @example const run = await runDistill({ sessions: 's.parquet', model: 'model.json', purchaseModel: null, targetColumn: null,
 *   exclude: [], priceColumn: null, tiers: null, command: 'phantom distill …', phantomVersion: '0.1.0' });
 */
export async function runDistill(o: RunDistillOptions): Promise<DistillRun> {
  const seed = o.seed ?? DISTILL_DEFAULTS.seed;
  const root = createRng(seed);
  const purchaseRng = root.fork();
  const distillRng = root.fork();
  const inputs = await loadDistillInputs({
    sessions: o.sessions, model: o.model, purchaseModel: o.purchaseModel, targetColumn: o.targetColumn, tiers: o.tiers !== null,
    exclude: o.exclude, allowOutcomeColumns: o.allowOutcomeColumns ?? false, priceColumn: o.priceColumn, coefficients: resolveCoefficients(o.coefficients), purchaseRng,
    ...(o.onStage ? { onStage: o.onStage } : {}),
  });
  o.onStage?.('fitting the rules tree');
  const result = distill(inputs.input, {
    rng: distillRng, tiers: o.tiers,
    ...(o.maxDepth !== undefined ? { maxDepth: o.maxDepth } : {}),
    ...(o.minSamplesLeaf !== undefined ? { minSamplesLeaf: o.minSamplesLeaf } : {}),
    ...(o.scaleMinSamplesLeaf !== undefined ? { scaleMinSamplesLeaf: o.scaleMinSamplesLeaf } : {}),
    ...(o.testSize !== undefined ? { testSize: o.testSize } : {}),
    humanSafe: o.targetColumn !== null && o.tiers === null ? null : o.humanSafe === undefined ? HUMAN_SAFE_DEFAULTS : o.humanSafe,
  });
  const revenueAt = (student: Float64Array) => (inputs.price === null ? null : revenueImpact({
    priceColumn: inputs.price.column, price: inputs.price.values,
    purchased: inputs.purchased === null ? null : Float64Array.from(inputs.purchased, (v) => (v < 0 ? NaN : v)),
    isAgent: inputs.input.isAgent, teacher: result.teacherMarkup, student,
  }));
  const revenue = revenueAt(result.studentMarkup);
  const humanSafe = result.humanSafe === null ? null : humanSafeSummary(result.humanSafe, revenue, revenueAt(result.humanSafe.fittedStudentMarkup));
  const document = rulesDocument(result, { phantomVersion: o.phantomVersion, command: o.command, seed, inputs, revenue, humanSafe });
  return { document, text: rulesText(result, inputs), result, inputs };
}

/**
 * Write rules.json and rules.txt, each atomically.
 * @example await writeRules(run, 'rules.json', 'rules.txt');
 */
export async function writeRules(run: DistillRun, jsonPath: string, textPath: string): Promise<void> {
  const json = JSON.stringify(run.document, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  await atomicWriteFile(jsonPath, `${json}\n`);
  await atomicWriteFile(textPath, run.text);
}
