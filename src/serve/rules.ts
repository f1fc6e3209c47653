/**
 * The `rules` pricing policy's model: the CART tree `phantom distill` fitted (SPEC §6), read with the
 * CART library's own `treeFromJson` and applied with `predictTree`. A regression tree's leaf value is the
 * markup; a classification tree's class indexes the markup tiers stored beside it.
 */
import { UsageError } from '../errors.js';
import type { FeatureSpec } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';
import { predictTree, treeFromJson, type CartTree } from '../models/cart/index.js';
import { featureVector, planFeatureVector, type FeatureVectorPlan } from './feature-vector.js';

export interface RulesModel {
  tree: CartTree;
  plan: FeatureVectorPlan;
  /** markup per class (classification trees only) */
  tiers: number[] | null;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The tree document inside a rules file: the file itself, or its `tree` / `model` member. */
function treeDocument(doc: unknown): unknown {
  if (isObj(doc) && typeof doc['format'] === 'string' && String(doc['format']).startsWith('phantom-cart')) return doc;
  for (const k of ['tree', 'model']) if (isObj(doc) && isObj(doc[k])) return doc[k];
  return doc;
}

/** Tier markups: an array of numbers, or of objects with a `markup`. */
function readTiers(doc: unknown): number[] | null {
  const raw = isObj(doc) ? doc['tiers'] : undefined;
  if (!Array.isArray(raw)) return null;
  return raw.map((t, i) => {
    const m = typeof t === 'number' ? t : isObj(t) ? t['markup'] : undefined;
    if (typeof m !== 'number' || !(m > 0)) throw new UsageError(`--rules: tiers[${i}] has no positive markup`);
    return m;
  });
}

/**
 * Parse a rules file (already JSON-parsed) against the features serve computes.
 * @example const rules = parseRules(JSON.parse(text), featureSpecs('default'), 'rules.json')
 */
export function parseRules(doc: unknown, features: readonly FeatureSpec[], source: string): RulesModel {
  const tree = treeFromJson(treeDocument(doc));
  const tiers = readTiers(doc);
  if (tree.kind === 'classification' && (tiers === null || tiers.length < tree.nClasses)) {
    throw new UsageError(`${source}: a classification rules tree needs a "tiers" list with a markup for each of its ${tree.nClasses} classes`);
  }
  return { tree, plan: planFeatureVector(tree.featureNames, features, source), tiers: tree.kind === 'classification' ? tiers : null };
}

/**
 * The markup the rules give a session (row 0 of its feature table).
 * @example rulesMarkup(rules, score.table)
 */
export function rulesMarkup(rules: RulesModel, table: SessionTable): number {
  const values = featureVector(rules.plan, table);
  const v = predictTree(rules.tree, { nRows: 1, nCols: values.length, values, featureNames: rules.plan.names })[0]!;
  return rules.tiers === null ? v : rules.tiers[v]!;
}
