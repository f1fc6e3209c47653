// Library-level properties of distill(): exact recovery of a teacher that is itself a tree, coverage that
// adds up, determinism for a seed, missing targets, tiers, leaf-size scaling, the text ⇄ JSON agreement.
import { describe, expect, it } from 'vitest';
import { distill, type DistillInput } from '../../src/distill/distill.js';
import { parseTiers } from '../../src/distill/tiers.js';
import { parseRulesText, treeToJson } from '../../src/models/cart/index.js';
import { createRng } from '../../src/stats/rng.js';
import { exportText, formatNumber } from '../../src/models/cart/index.js';

const r9 = (v: number | null | undefined) => (v === null || v === undefined ? v : Number(v.toFixed(9)));

/** n sessions, 4 features (continuous, so no ties); the teacher is a depth-2 step function of f0 and f2. */
function stepData(n: number, seed = 3): DistillInput & { step: (r: number) => number } {
  const rng = createRng(seed);
  const nCols = 4;
  const values = new Float64Array(n * nCols);
  for (let i = 0; i < values.length; i++) values[i] = rng.next();
  const step = (r: number) => (values[r * nCols]! <= 0.5 ? (values[r * nCols + 2]! <= 0.3 ? 0.8 : 1.0) : 1.4);
  const target = Float64Array.from({ length: n }, (_, r) => step(r));
  const pAgent = Float64Array.from({ length: n }, (_, r) => (target[r]! > 1.2 ? 0.9 : 0.1));
  const isAgent = Int8Array.from({ length: n }, (_, r) => (r % 7 === 0 ? -1 : target[r]! > 1.2 ? 1 : 0));
  return { X: { nRows: n, nCols, values, featureNames: ['f0', 'f1', 'f2', 'f3'] }, target, pAgent, isAgent, step };
}

describe('distill (regression)', () => {
  const data = stepData(2000);
  const r = distill(data, { rng: createRng(42), maxDepth: 5, minSamplesLeaf: 20 });

  it('recovers a teacher that is a tree: held-out R² = 1, three rules on f0 and f2', () => {
    expect(r.fidelity.heldOut).toMatchObject({ rows: 400 });
    expect(r.fidelity.heldOut!.r2).toBeCloseTo(1, 12);
    expect(r.fidelity.heldOut!.mae).toBeLessThan(1e-12);
    expect(r.rules.map((x) => r9(x.markup))).toEqual([0.8, 1.0, 1.4]);
    expect(r.rules.map((x) => x.conditions.map((c) => `${c.feature}${c.op}`))).toEqual([['f0<=', 'f2<='], ['f0<=', 'f2>'], ['f0>']]);
    expect(r.rules[2]!.conditions[0]!.threshold).toBeCloseTo(0.5, 2);
  });

  it('covers every session once; samples are the training sessions; means come from the data', () => {
    expect(r.rules.reduce((s, x) => s + x.sessions, 0)).toBe(2000);
    expect(r.rules.reduce((s, x) => s + x.samples, 0)).toBe(r.split.trainRows);
    expect(r.rules.map((x) => r9(x.meanPAgent))).toEqual([0.1, 0.1, 0.9]);
    expect(r.rules.map((x) => r9(x.meanTeacherMarkup))).toEqual([0.8, 1.0, 1.4]);
    expect(r.rules.map((x) => x.agentShare)).toEqual([0, 0, 1]);
    for (let i = 0; i < 2000; i++) expect(r9(r.studentMarkup[i])).toBe(data.step(i));
  });

  it('is deterministic for a seed and does not modify its inputs', () => {
    const before = Float64Array.from(data.X.values);
    const again = distill(data, { rng: createRng(42), maxDepth: 5, minSamplesLeaf: 20 });
    expect(treeToJson(again.tree)).toEqual(treeToJson(r.tree));
    expect(again.rules).toEqual(r.rules);
    expect(data.X.values).toEqual(before);
    const other = distill(data, { rng: createRng(43), maxDepth: 5, minSamplesLeaf: 20 });
    expect(other.rules.map((x) => x.samples)).not.toEqual(r.rules.map((x) => x.samples));
  });

  it('prints rules text whose every line agrees with the rules', () => {
    const parsed = parseRulesText(exportText(r.tree, { aux: { name: 'p_agent', X: data.X, values: data.pAgent! } }));
    expect(parsed.map((p) => [p.value, p.samples, p.aux?.value])).toEqual(
      r.rules.map((x) => [Number(formatNumber(x.markup, 4)), x.samples, Number(formatNumber(x.meanPAgent!, 4))]));
  });
});

describe('distill edge cases', () => {
  it('leaves sessions without a target out of fitting, says so, and still prices them', () => {
    const data = stepData(500);
    const target = Float64Array.from(data.target);
    for (let i = 0; i < 50; i++) target[i * 10] = NaN;
    const r = distill({ ...data, target }, { rng: createRng(1), minSamplesLeaf: 5 });
    expect(r.split.leftOutRows).toBe(50);
    expect(r.split.trainRows + r.split.testRows).toBe(450);
    expect(r.notes[0]).toMatch(/50 sessions have no target/);
    expect(Number.isNaN(r.teacherMarkup[0]!)).toBe(true);
    expect(Number.isFinite(r.studentMarkup[0]!)).toBe(true);
    expect(r.rules.reduce((s, x) => s + x.sessions, 0)).toBe(500);
  });

  it('scales the default leaf size down on small data with a warning; not an explicit one', () => {
    const data = stepData(300);
    const scaled = distill(data, { rng: createRng(1) });
    expect(scaled.leafSize).toMatchObject({ requested: 50, used: 7, scaled: true });
    expect(scaled.warnings[0]).toMatch(/only 240 training sessions/);
    const kept = distill(data, { rng: createRng(1), minSamplesLeaf: 50, scaleMinSamplesLeaf: false });
    expect(kept.leafSize.used).toBe(50);
    expect(kept.warnings).toEqual([]);
    for (const rule of kept.rules) expect(rule.samples).toBeGreaterThanOrEqual(50);
  });

  it('with --test-size 0 measures fidelity on the training sessions and says so', () => {
    const r = distill(stepData(200), { rng: createRng(1), testSize: 0, minSamplesLeaf: 5 });
    expect(r.fidelity.heldOut).toBeNull();
    expect(r.fidelity.train.r2).toBe(1);
    expect(r.notes.join(' ')).toMatch(/no held-out sessions/);
  });

  it('a constant teacher gives one rule and a null R²', () => {
    const data = stepData(200);
    const r = distill({ ...data, target: new Float64Array(200).fill(1.1) }, { rng: createRng(1) });
    expect(r.rules).toHaveLength(1);
    expect(r.rules[0]!.conditions).toEqual([]);
    expect(r.fidelity.heldOut).toMatchObject({ r2: null });
    expect(r.fidelity.heldOut!.mae).toBeLessThan(1e-12);
  });
});

describe('distill (tiers)', () => {
  it('classifies sessions into tiers of the score, one class per tier even if a tier is empty', () => {
    const data = stepData(2000);
    const score = Float64Array.from(data.X.values.filter((_, i) => i % 4 === 0)); // f0 in [0, 1)
    const tiers = parseTiers('0.4:1.1,0.7:1.3,2:1.9'); // nobody reaches 2
    const r = distill({ ...data, target: score }, { rng: createRng(5), tiers, minSamplesLeaf: 10 });
    expect(r.mode).toBe('tiers');
    expect(r.tree.nClasses).toBe(4);
    expect(r.fidelity.heldOut!.accuracy).toBe(1);
    expect(r.rules.map((x) => x.markup)).toEqual([1, 1.1, 1.3]);
    expect(r.rules.map((x) => x.tier)).toEqual([0, 1, 2]);
    for (const x of r.rules) expect(x.tierShares![x.tier!]).toBe(1);
    expect(r.rules.map((x) => x.conditions.at(-1)!.threshold.toFixed(2))).toEqual(['0.40', '0.70', '0.70']);
  });
});
