import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { exportRules } from '../../../src/models/cart/export-rules.js';
import { exportText, formatNumber } from '../../../src/models/cart/export-text.js';
import { fitClassificationTree, fitRegressionTree } from '../../../src/models/cart/fit.js';
import { parseRulesText, type ParsedRule } from '../../../src/models/cart/parse-rules-text.js';
import { predictTree } from '../../../src/models/cart/predict.js';
import type { DenseMatrix } from '../../../src/models/cart/types.js';
import { createRng } from '../../../src/stats/rng.js';
import { smoothTarget } from './data.js';

/** Features on a 0.25 grid (midpoints end in .125 / .375 …, exact at 4 decimals), 10% missing. */
function gridMatrix(nRows: number, seed: number): DenseMatrix {
  const rng = createRng(seed);
  const names = ['pages per minute', 'hover_count', 'cart_adds', 'dwell_ms'];
  const values = Float64Array.from({ length: nRows * names.length },
    () => (rng.next() < 0.1 ? NaN : Math.round(rng.normal() * 8) / 4));
  return { nRows, nCols: names.length, values, featureNames: names };
}

function matches(rule: ParsedRule, X: DenseMatrix, row: number): boolean {
  return rule.conditions.every((c) => {
    const x = X.values[row * X.nCols + X.featureNames.indexOf(c.feature)]!;
    if (Number.isNaN(x)) return c.orMissing;
    return c.op === '<=' ? x <= c.threshold : x > c.threshold;
  });
}

const X = gridMatrix(600, 5);
const y = smoothTarget(X, 6);
const pAgent = Float64Array.from(y, (v) => 1 / (1 + Math.exp(-v)));
const aux = { name: 'p_agent', X, values: pAgent };
const tree = fitRegressionTree(X, y, { maxDepth: 4, minSamplesLeaf: 20 }, { rng: createRng(1) });

describe('rules export', () => {
  it('the text parses back to the JSON rules (conditions, values, samples, aux mean)', () => {
    const text = exportText(tree, { aux });
    const parsed = parseRulesText(text);
    const rules = exportRules(tree, { aux });
    expect(parsed.length).toBe(rules.length);
    const half = 0.5e-4 * (1 + 1e-9);
    rules.forEach((rule, i) => {
      const p = parsed[i]!;
      expect(p.samples).toBe(rule.samples);
      expect(Math.abs(p.value - rule.value)).toBeLessThanOrEqual(half);
      expect(p.aux!.name).toBe('p_agent');
      expect(Math.abs(p.aux!.value! - rule.auxMean!)).toBeLessThanOrEqual(half);
      expect(p.conditions.map((c) => [c.feature, c.op, c.orMissing]))
        .toEqual(rule.conditions.map((c) => [c.feature, c.op, c.orMissing]));
      p.conditions.forEach((c, k) => expect(c.threshold).toBe(rule.conditions[k]!.threshold)); // grid: exact
    });
  });

  it('every row satisfies exactly one printed rule, whose value is the tree prediction', () => {
    const parsed = parseRulesText(exportText(tree, { decimals: 6 }));
    const pred = predictTree(tree, X);
    for (let r = 0; r < X.nRows; r++) {
      const hit = parsed.filter((rule) => matches(rule, X, r));
      expect(hit.length).toBe(1);
      expect(Math.abs(hit[0]!.value - pred[r]!)).toBeLessThanOrEqual(0.5e-6 * (1 + 1e-9));
    }
  });

  it('leaf rules cover every training row once, with the aux mean of exactly those rows', () => {
    const rules = exportRules(tree, { aux });
    expect(rules.reduce((s, r) => s + r.samples, 0)).toBe(X.nRows);
    const rule = rules[0]!;
    let sum = 0, n = 0;
    for (let r = 0; r < X.nRows; r++) {
      const ok = rule.conditions.every((c) => {
        const x = X.values[r * X.nCols + c.featureIndex]!;
        return Number.isNaN(x) ? c.orMissing : c.op === '<=' ? x <= c.threshold : x > c.threshold;
      });
      if (ok) { sum += pAgent[r]!; n++; }
    }
    expect(n).toBe(rule.samples);
    expect(rule.auxMean).toBeCloseTo(sum / n, 12);
    expect(exportRules(tree)[0]!.auxMean).toBeUndefined();
  });

  it('classification text carries class, label and shares, and parses back', () => {
    const yClass = Int32Array.from(y, (v) => (v < -0.3 ? 0 : v < 0.6 ? 1 : 2));
    const clf = fitClassificationTree(X, yClass, { maxDepth: 3, minSamplesLeaf: 15 }, { rng: createRng(2) });
    const text = exportText(clf, { classNames: ['markup 0.9', 'markup 1.1', 'markup 1.3'], decimals: 3 });
    expect(text).toMatch(/THEN class = \d \(markup 1\.\d\) \| samples = \d+ \| proba = [\d.]+ [\d.]+ [\d.]+/);
    const parsed = parseRulesText(text);
    const rules = exportRules(clf);
    rules.forEach((rule, i) => {
      expect(parsed[i]!.value).toBe(rule.value);
      expect(parsed[i]!.label).toBe(['markup 0.9', 'markup 1.1', 'markup 1.3'][rule.value]);
      rule.proba!.forEach((v, k) => expect(Math.abs(parsed[i]!.proba![k]! - v)).toBeLessThanOrEqual(0.5e-3 + 1e-12));
    });
  });

  it('has the documented shape', () => {
    const xs = { nRows: 8, nCols: 1, values: Float64Array.from([1, 2, 3, 4, 5, 6, 7, NaN]), featureNames: ['speed'] };
    const t = fitRegressionTree(xs, Float64Array.from([1, 1, 1, 1, 3, 3, 3, 3]), { maxDepth: 1 });
    expect(exportText(t, { decimals: 2 })).toBe(
      'IF speed <= 4.50\n|   THEN value = 1.00 | samples = 4\nIF speed > 4.50 or missing\n|   THEN value = 3.00 | samples = 4\n');
    const leafOnly = fitRegressionTree(xs, new Float64Array(8).fill(2), {});
    expect(exportText(leafOnly)).toBe('THEN value = 2.0000 | samples = 8\n');
    expect(parseRulesText(exportText(leafOnly))).toEqual([{ conditions: [], value: 2, samples: 8 }]);
  });

  it('keeps small numbers readable and rejects malformed text with the line number', () => {
    expect(formatNumber(0.000012346, 4)).toBe('0.00001235');
    expect(formatNumber(-2.5, 2)).toBe('-2.50');
    expect(() => parseRulesText('IF a <= 1\n|   |   THEN value = 1 | samples = 2\n')).toThrow(/line 2: indented deeper/);
    expect(() => parseRulesText('IF a <= x\n')).toThrow(UsageError);
    expect(() => parseRulesText('THEN value = 1\n')).toThrow(/line 1: missing "samples/);
    expect(() => parseRulesText('WHEN a\n')).toThrow(/line 1: expected IF or THEN/);
  });
});
