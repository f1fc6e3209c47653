/**
 * The `rules` pricing policy's model: the CART tree `phantom distill` fitted (docs/distill.md), from rules.json's
 * `tree` and `tiers`, read with the CART library's own `treeFromJson` and applied with `predictTree`. A
 * regression tree's leaf value is the markup; a classification tree's class indexes the markup tiers.
 * The tree's columns are distill's encoding of the session features (numeric by name, categories one-hot
 * as `<feature>=<level>`), stored in rules.json's `encoding` and applied with the dataset library's
 * `encodeTable`, as distill did. Files written before `encoding` existed (or a bare tree) fall back to
 * rebuilding it from the tree's column names (docs/distill.md, "Outputs").
 */
import { UsageError } from '../errors.js';
import type { FeatureSpec } from '../features/registry.js';
import type { SessionTable } from '../features/session-table.js';
import { predictTree, treeFromJson, type CartTree } from '../models/cart/index.js';
import { encodingSchema } from '../models/classifier/encoding-schema.js';
import { encodedNames, encodeTable, type EncodedColumn, type FeatureEncoding } from '../models/dataset/index.js';
import { sessionDataTable } from './session-features.js';

export interface RulesModel {
  tree: CartTree;
  encoding: FeatureEncoding;
  /** markup per class (classification trees only) */
  tiers: number[] | null;
}

/** The encoding whose column names are `names` (levels of one category are consecutive, as distill writes them). */
function encodingFromNames(names: readonly string[], features: readonly FeatureSpec[], source: string): FeatureEncoding {
  const numeric = new Set(features.filter((f) => f.dtype !== 'category').map((f) => f.name));
  const categories = new Set(features.filter((f) => f.dtype === 'category').map((f) => f.name));
  const columns: EncodedColumn[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const eq = name.indexOf('=');
    const cat = eq > 0 ? name.slice(0, eq) : '';
    const last = columns[columns.length - 1];
    if (numeric.has(name)) columns.push({ name, kind: 'numeric' });
    else if (categories.has(cat) && last?.kind === 'one-hot' && last.name === cat) last.levels.push(name.slice(eq + 1));
    else if (categories.has(cat)) columns.push({ name: cat, kind: 'one-hot', levels: [name.slice(eq + 1)] });
    else unknown.push(name);
  }
  const encoding = { columns };
  if (unknown.length > 0 || encodedNames(encoding).join('\n') !== names.join('\n')) {
    throw new UsageError(`${source}: the rules use columns serve cannot compute from live events${unknown.length > 0 ? `: ${unknown.join(', ')}` : ' (one-hot levels out of order)'}`);
  }
  return encoding;
}

/** rules.json's stored `encoding`: it must name the tree's columns in order, from features serve computes. */
function storedEncoding(raw: unknown, names: readonly string[], features: readonly FeatureSpec[], source: string): FeatureEncoding {
  const parsed = encodingSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`${source}: "encoding" is malformed: ${parsed.error.issues.map((i) => `${['encoding', ...i.path].join('.')}: ${i.message}`).join('; ')}`);
  }
  const encoding: FeatureEncoding = parsed.data;
  if (encodedNames(encoding).join('\n') !== names.join('\n')) throw new UsageError(`${source}: "encoding" does not produce the tree's columns (tree.featureNames)`);
  const dtype = new Map(features.map((f) => [f.name, f.dtype]));
  const unknown = encoding.columns.filter((c) => !dtype.has(c.name) || (c.kind === 'numeric' && dtype.get(c.name) === 'category')).map((c) => c.name);
  if (unknown.length > 0) throw new UsageError(`${source}: the rules use columns serve cannot compute from live events: ${unknown.join(', ')}`);
  return encoding;
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
  const encoding = isObj(doc) && doc['encoding'] !== undefined
    ? storedEncoding(doc['encoding'], tree.featureNames, features, source)
    : encodingFromNames(tree.featureNames, features, source); // files from before rules.json carried its encoding
  return { tree, encoding, tiers: tree.kind === 'classification' ? tiers : null };
}

/**
 * The markup the rules give a session (row 0 of its feature table).
 * @example rulesMarkup(rules, score.table)
 */
export function rulesMarkup(rules: RulesModel, table: SessionTable): number {
  const v = predictTree(rules.tree, encodeTable(sessionDataTable(table), rules.encoding))[0]!;
  return rules.tiers === null ? v : rules.tiers[v]!;
}
