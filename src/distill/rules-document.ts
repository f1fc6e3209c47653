/**
 * The two outputs of `distill`: rules.json (every leaf with its conditions, markup, sessions covered and
 * mean p_agent; the tree itself, the teacher, the parameters, the split, the fidelity and the seeds, so
 * every number can be traced) and rules.txt (the same leaves as indented IF/THEN text; `parseRulesText`
 * reads it back). rules.json's top-level `encoding`, `tree` and `tiers` are what `phantom serve --rules` loads.
 */
import { CART_COMPARISON, exportText, treeToJson, type CartTreeJson } from '../models/cart/index.js';
import type { FeatureEncoding } from '../models/dataset/encoding.js';
import type { DistilledRule, DistillResult } from './distill.js';
import type { Fidelity } from './fidelity.js';
import type { HumanSafeSummary } from './human-safe-summary.js';
import type { LeafSizeDecision } from './leaf-size.js';
import type { DistillInputs, TeacherDescription } from './load-inputs.js';
import type { RevenueImpact } from './revenue.js';
import { tiersText } from './tiers.js';

export const RULES_FORMAT = 'phantom.distill';
export const RULES_VERSION = 1;
/** Digits after the decimal point in rules.txt (rules.json keeps full precision). */
export const TEXT_DECIMALS = 4;

export interface RulesDocument {
  format: typeof RULES_FORMAT;
  version: typeof RULES_VERSION;
  phantomVersion: string;
  command: string;
  mode: 'regression' | 'tiers';
  data: DistillInputs['data'];
  teacher: TeacherDescription & { summary: { sessions: number; mean: number | null; min: number | null; max: number | null } };
  tiers: Array<{ tier: number; minScore: number | null; markup: number }> | null;
  student: {
    criterion: string; comparison: string; params: Record<string, unknown>; minSamplesLeaf: LeafSizeDecision;
    nodes: number; leaves: number; depth: number;
  };
  seeds: { seed: number; derivation: string };
  split: DistillResult['split'];
  fidelity: { heldOut: Fidelity | null; train: Fidelity };
  revenue: RevenueImpact | null;
  /** the human-safe leaf rule and its revenue cost (null without a classifier, or when turned off) */
  humanSafe: HumanSafeSummary | null;
  rules: DistilledRule[];
  text: { decimals: number; legend: string };
  /**
   * How session columns become the tree's columns, in the classifier metadata's shape (numeric as is,
   * categories one-hot as `<name>=<level>`); `encodedNames(encoding)` equals `tree.featureNames`.
   * Absent in files written before it existed (serve then rebuilds it from the names).
   */
  encoding: FeatureEncoding;
  tree: CartTreeJson;
  warnings: string[];
  notes: string[];
}

function summary(values: Float64Array): RulesDocument['teacher']['summary'] {
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  for (const v of values) if (v === v) { n++; sum += v; if (v < min) min = v; if (v > max) max = v; }
  return { sessions: n, mean: n > 0 ? sum / n : null, min: n > 0 ? min : null, max: n > 0 ? max : null };
}

function depthOf(result: DistillResult): number {
  return result.rules.reduce((d, r) => Math.max(d, r.conditions.length), 0);
}

export interface DocumentContext {
  phantomVersion: string;
  command: string;
  seed: number;
  inputs: DistillInputs;
  revenue: RevenueImpact | null;
  humanSafe?: HumanSafeSummary | null;
}

/**
 * Assemble rules.json.
 * @example JSON.stringify(rulesDocument(result, { phantomVersion, command, seed: 42, inputs, revenue }))
 */
export function rulesDocument(result: DistillResult, ctx: DocumentContext): RulesDocument {
  const { tree } = result;
  const tierLegend = result.tiers === null ? '' : ` Tiers (score:markup): ${tiersText(result.tiers)}.`;
  return {
    format: RULES_FORMAT, version: RULES_VERSION, phantomVersion: ctx.phantomVersion, command: ctx.command, mode: result.mode,
    data: ctx.inputs.data,
    teacher: { ...ctx.inputs.teacher, summary: summary(result.teacherMarkup) },
    tiers: result.tiers?.map((t, k) => ({ tier: k, minScore: Number.isFinite(t.minScore) ? t.minScore : null, markup: t.markup })) ?? null,
    student: {
      criterion: tree.criterion, comparison: CART_COMPARISON,
      params: { ...tree.params, maxDepth: Number.isFinite(tree.params.maxDepth) ? tree.params.maxDepth : null },
      minSamplesLeaf: result.leafSize, nodes: tree.nodeCount, leaves: result.rules.length, depth: depthOf(result),
    },
    seeds: {
      seed: ctx.seed,
      derivation: 'root = createRng(seed); root.fork() seeds the purchase booster; root.fork() then seeds distill, whose fork() shuffles the holdout and whose next fork() orders features in the tree',
    },
    split: result.split, fidelity: result.fidelity, revenue: ctx.revenue, humanSafe: ctx.humanSafe ?? null, rules: result.rules,
    text: {
      decimals: TEXT_DECIMALS,
      legend: `rules.txt: one IF line per branch (x <= t goes left; "or missing" marks where a missing value goes), one THEN line per leaf: ${result.mode === 'regression' ? 'value = the markup' : 'class = the tier'}, samples = training sessions at the leaf${ctx.inputs.input.pAgent ? ', p_agent = mean p_agent of all sessions reaching the leaf' : ''}; leaves in the order of "rules".${tierLegend}`,
    },
    encoding: ctx.inputs.encoding, tree: treeToJson(tree), warnings: [...ctx.inputs.warnings, ...result.warnings], notes: [...ctx.inputs.notes, ...result.notes],
  };
}

/**
 * rules.txt: the student as indented IF/THEN text.
 * @example await atomicWriteFile('rules.txt', rulesText(result, inputs));
 */
export function rulesText(result: DistillResult, inputs: DistillInputs): string {
  const { X, pAgent } = inputs.input;
  return exportText(result.tree, {
    decimals: TEXT_DECIMALS,
    ...(pAgent ? { aux: { name: 'p_agent', X, values: pAgent } } : {}),
    ...(result.tiers ? { classNames: result.tiers.map((t) => `markup ${t.markup}`) } : {}),
  });
}
