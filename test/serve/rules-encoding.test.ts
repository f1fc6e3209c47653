// rules.json carries its tree's encoding (`encoding`, the classifier metadata's shape) and serve applies
// that stored encoding: a tree fitted on a sessions table whose columns are in another order than the
// live session table prices every fixture session exactly as the tree does on the table it was fitted
// on — through the live price path and the batch `rulesMarkup` — and an old-format file (no `encoding`)
// still loads, rebuilding the same encoding from the tree's column names.
import { describe, expect, it } from 'vitest';
import { featureSpecs } from '../../src/features/registry.js';
import { fitRegressionTree, predictTree, treeToJson } from '../../src/models/cart/index.js';
import { encodedNames, encodeTable, fitEncoding, type DataTable } from '../../src/models/dataset/index.js';
import { liveScorer } from '../../src/serve/live-scoring.js';
import { parseRules, rulesMarkup } from '../../src/serve/rules.js';
import { SessionBuffer } from '../../src/serve/session-buffer.js';
import { liveSessionFeatures, sessionDataTable, type FeatureSettings } from '../../src/serve/session-features.js';
import { fixtureStoredSessions } from '../support/fixture-sessions.js';

const SETTINGS: FeatureSettings = { featureSet: 'default', timeoutSec: 900, fillMissing: null };
const FEATURES = featureSpecs('default');

const bySession = fixtureStoredSessions();
const buffers = [...bySession].map(([id, rows]) => {
  const b = new SessionBuffer(id);
  for (const r of rows) b.append(r);
  return b;
});

// the sessions table, one row per fixture session, with its columns in reverse order of the live table's
const tables = buffers.map((b) => sessionDataTable(liveSessionFeatures(b, SETTINGS)));
const first = tables[0]!;
const sessions: DataTable = {
  ...first, nRows: tables.length,
  columns: first.columns.map((c, j) => (c.kind === 'numeric'
    ? { ...c, values: Float64Array.from(tables, (t) => (t.columns[j] as typeof c).values[0]!) }
    : { ...c, codes: Int32Array.from(tables, (t) => (t.columns[j] as typeof c).codes[0]!) })).reverse(),
};
const { encoding } = fitEncoding(sessions, { label: 'is_agent' });
const X = encodeTable(sessions, encoding);
const velocity = sessions.columns.find((c) => c.name === 'interaction_velocity')!;
const y = Float64Array.from({ length: sessions.nRows }, (_, r) => 1 + (velocity.kind === 'numeric' && velocity.values[r]! > 6 ? 0.2 : 0) + 0.01 * (r % 3));
const tree = fitRegressionTree(X, y, { maxDepth: 4 });
const fitted = predictTree(tree, X); // the markups distill's student gives on the table it was fitted on
const doc = JSON.parse(JSON.stringify({ format: 'phantom.distill', version: 1, tiers: null, encoding, tree: treeToJson(tree) })) as Record<string, unknown>;

describe('rules.json encoding', () => {
  it('the tree is fitted on columns in another order than the live table, with a one-hot category', () => {
    const live = sessionDataTable(liveSessionFeatures(buffers[0]!, SETTINGS)).columns.map((c) => c.name);
    const stored = encoding.columns.map((c) => c.name);
    expect(stored).not.toEqual(live.filter((n) => stored.includes(n)));
    expect(encoding.columns.some((c) => c.kind === 'one-hot')).toBe(true);
    expect(new Set(fitted).size).toBeGreaterThan(1);
  });

  it('serve loads the stored encoding and prices every session as the fitted tree does', () => {
    const rules = parseRules(doc, FEATURES, 'rules.json');
    expect(rules.encoding).toEqual(encoding);
    expect(encodedNames(rules.encoding)).toEqual(tree.featureNames);
    const scorer = liveScorer(SETTINGS, null, rules)!;
    expect(scorer).not.toBeNull();
    buffers.forEach((b, r) => {
      expect(scorer.score(b).rulesMarkup).toBe(fitted[r]);
      expect(rulesMarkup(rules, liveSessionFeatures(b, SETTINGS))).toBe(fitted[r]);
    });
  });

  it('an old-format file (no encoding) still loads, with the encoding rebuilt from the names, and prices the same', () => {
    const { encoding: _, ...old } = doc;
    const rules = parseRules(old, FEATURES, 'old.json');
    expect(rules.encoding).toEqual(encoding);
    const scorer = liveScorer(SETTINGS, null, rules)!;
    buffers.forEach((b, r) => expect(scorer.score(b).rulesMarkup).toBe(fitted[r]));
  });

  it('an encoding that does not produce the tree columns, or needs columns serve lacks, is refused at load', () => {
    const swapped = { ...doc, encoding: { columns: [...encoding.columns].reverse() } };
    expect(() => parseRules(swapped, FEATURES, 'r.json')).toThrow(/r\.json: "encoding" does not produce the tree's columns/);
    const names = [...tree.featureNames];
    names[names.length - 1] = 'not_a_feature';
    const columns = [...encoding.columns.slice(0, -1), { name: 'not_a_feature', kind: 'numeric' }];
    const foreign = { ...doc, encoding: { columns }, tree: { ...(doc.tree as object), featureNames: names } };
    expect(encoding.columns[encoding.columns.length - 1]!.kind).toBe('numeric');
    expect(() => parseRules(foreign, FEATURES, 'r.json')).toThrow(/cannot compute from live events: not_a_feature$/);
    expect(() => parseRules({ ...doc, encoding: { columns: [{ name: 'x', kind: 'bins' }] } }, FEATURES, 'r.json')).toThrow(/"encoding" is malformed: encoding\.columns\.0/);
  });
});
