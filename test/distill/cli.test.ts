// `phantom distill` as users run it: exit codes and messages, tiers output, warnings, determinism, and the
// fixture sessions (small data). Uses the golden session table (test/golden/distill/) and the fixtures.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RulesDocument } from '../../src/distill/index.js';
import { parseRulesText } from '../../src/models/cart/index.js';
import { phantom, ROOT } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'distill-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const golden = (name: string) => join(ROOT, 'test/golden/distill', name);
const csv = golden('sessions.csv');
const readDoc = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as RulesDocument;

describe('phantom distill usage errors (exit 2)', () => {
  it.each([
    [['distill', csv, '-o', join(work, 'x.json')], /give the classifier model before the sessions, or distil a score column with --target-column/],
    [['distill', csv, '--target-column', 'nope', '-o', join(work, 'x.json')], /--target-column: the data has no column 'nope'/],
    [['distill', csv, '--target-column', 'sessionId', '-o', join(work, 'x.json')], /column 'sessionId' holds text/],
    [['distill', csv, '--target-column', 'score', '--tiers', '0.4-1.1', '-o', join(work, 'x.json')], /--tiers: "0.4-1.1" is not score:markup/],
    [['distill', csv, '--target-column', 'score', '--agent-weight', '0.9', '-o', join(work, 'x.json')], /do not apply with --target-column/],
    [['distill', csv, '--target-column', 'score', '--exclude', 'speeed', '-o', join(work, 'x.json')], /--exclude names columns the data does not have: speeed/],
    [['distill', csv, '--target-column', 'score', '--max-depth', '0', '-o', join(work, 'x.json')], /--max-depth must be between 1 and 30/],
    [['distill', csv, '--target-column', 'score', '--test-size', '1', '-o', join(work, 'x.json')], /--test-size must be between 0 and 0.9/],
    [['distill', join(work, 'missing.json'), csv, '-o', join(work, 'x.json')], /cannot read model .*missing.json: no such file/],
    [['distill', 'a', 'b', 'c', '-o', join(work, 'x.json')], /expected \[model.json\] sessions.parquet, got 3 inputs/],
  ])('%j', (args, message) => {
    const r = phantom(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('phantom distill outputs', () => {
  it('tiers mode: a classification tree over tiers, tier markups for serve, class labels in the text', () => {
    const out = join(work, 'tiers.json');
    const r = phantom(['distill', csv, '--target-column', 'score', '--tiers', '0.4:1.1,0.7:1.3', '--max-depth', '3', '-o', out]);
    expect(r.code).toBe(0);
    const doc = readDoc(out);
    expect(doc.mode).toBe('tiers');
    expect(doc.tiers).toEqual([{ tier: 0, minScore: null, markup: 1 }, { tier: 1, minScore: 0.4, markup: 1.1 }, { tier: 2, minScore: 0.7, markup: 1.3 }]);
    expect(doc.tree.kind).toBe('classification');
    expect(doc.fidelity.heldOut!.accuracy).toBeGreaterThan(0.6);
    const parsed = parseRulesText(readFileSync(join(work, 'tiers.txt'), 'utf8'));
    expect(parsed.map((p) => [p.value, p.label])).toEqual(doc.rules.map((x) => [x.tier, `markup ${x.markup}`]));
    expect(r.stdout).toMatch(/fidelity, held out\s+accuracy/);
    expect(r.stdout).toMatch(/rule\s+markup\s+sessions\s+train\s+p_agent\s+conditions/);
  });

  it('warns when the default leaf size is scaled down, and is byte-identical for a seed', () => {
    const args = (out: string) => ['distill', csv, '--target-column', 'score', '-o', out, '--text-out', join(work, 'same.txt')];
    const a = phantom(args(join(work, 'same.json')));
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/warning: only 640 training sessions: min-samples-leaf 50 scaled down to 20/);
    const first = readFileSync(join(work, 'same.json'));
    expect(phantom(args(join(work, 'same.json'))).code).toBe(0);
    expect(readFileSync(join(work, 'same.json')).equals(first)).toBe(true);
    const seeded = phantom(['distill', csv, '--target-column', 'score', '-o', join(work, 'seed7.json'), '--seed', '7']);
    expect(seeded.code).toBe(0);
    expect(readDoc(join(work, 'seed7.json')).seeds.seed).toBe(7);
    expect(readDoc(join(work, 'seed7.json')).rules).not.toEqual(readDoc(join(work, 'same.json')).rules);
  });

  it('without a purchased column and no --purchase-model, p_purchase is 0 with a warning', () => {
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const drop = header.indexOf('purchased');
    writeFileSync(join(work, 'nobuy.csv'), `${lines.map((l) => l.split(',').filter((_, j) => j !== drop).join(',')).join('\n')}\n`);
    const out = join(work, 'nobuy.json');
    const r = phantom(['distill', golden('agent-model.json'), join(work, 'nobuy.csv'), '--exclude', 'score', '-o', out, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: no --purchase-model and the data has no 'purchased' column: p_purchase = 0/);
    const doc = readDoc(out);
    expect(doc.teacher.pPurchase).toEqual({ source: 'none', reason: "the data has no 'purchased' column" });
    expect(doc.revenue).toMatchObject({ basis: 'all sessions', priceColumn: 'avg_price_seen' });
    expect(doc.warnings.length).toBe(2); // p_purchase and the scaled leaf size
  });

  it('runs on the bundled fixture sessions (300): model from train-classifier, rules with a scaled leaf size', () => {
    const sessions = join(work, 'fx.parquet'), model = join(work, 'fx-model.json'), out = join(work, 'fx-rules.json');
    expect(phantom(['features', join(ROOT, 'fixtures/events.parquet'), '-o', sessions, '-q']).code).toBe(0);
    expect(phantom(['train-classifier', sessions, '-o', model, '--cv', '0', '-q']).code).toBe(0);
    const r = phantom(['distill', model, sessions, '-o', out]);
    expect(r.code).toBe(0);
    const doc = readDoc(out);
    expect(doc.student.minSamplesLeaf).toMatchObject({ requested: 50, used: 7, scaled: true });
    expect(doc.rules.reduce((s, x) => s + x.sessions, 0)).toBe(300);
    expect(parseRulesText(readFileSync(join(work, 'fx-rules.txt'), 'utf8'))).toHaveLength(doc.rules.length);
  });
});
