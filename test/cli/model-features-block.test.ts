// The model's `features` block (the sessions file's feature settings, which `serve` computes live features
// with) is checked where every model is read (readClassifierMeta): predict, evaluate, distill and serve refuse a
// malformed block alike, exit 2, one line naming the file and the field, and leave an existing output alone.
// The pipeline reads back only the model it wrote (parseClassifierModel, same check, tested below).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClassifierModel } from '../../src/models/classifier/model-file.js';
import { phantom, ROOT } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-model-features-'));
const p = (name: string) => join(dir, name);
let modelText = '';

/** The trained model with its phantom block's `features` replaced (undefined: deleted). */
function withFeatures(features: unknown): string {
  const m = JSON.parse(modelText) as { learner: { attributes: { phantom: string } } };
  const block = JSON.parse(m.learner.attributes.phantom) as Record<string, unknown>;
  if (features === undefined) delete block['features']; else block['features'] = features;
  m.learner.attributes.phantom = JSON.stringify(block);
  return JSON.stringify(m);
}

beforeAll(() => {
  copyFileSync(join(ROOT, 'fixtures/events.parquet'), p('events.parquet'));
  for (const args of [['features', p('events.parquet'), '-o', p('sessions.parquet'), '-q'], ['train-classifier', p('sessions.parquet'), '-o', p('model.json'), '--cv', '0', '-q']]) {
    const r = phantom(args);
    if (r.code !== 0) throw new Error(`phantom ${args.join(' ')}: ${r.stderr}`);
  }
  modelText = readFileSync(p('model.json'), 'utf8');
  for (const f of ['keep.csv', 'keep.json']) writeFileSync(p(f), 'an output from an earlier run\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD: [string, unknown, RegExp][] = [
  ['a number', 42, /features: Invalid input: expected object, received number/],
  ['null', null, /features: Invalid input: expected object, received null/],
  ['an unknown feature set', { featureSet: 'nope', timeoutSec: 900, fillMissing: null }, /features\.featureSet: Invalid option: expected one of "default"\|"original"/],
  ['a timeout of 0', { featureSet: 'default', timeoutSec: 0, fillMissing: null }, /features\.timeoutSec: Too small/],
  ['a text fill value', { featureSet: 'default', timeoutSec: 900, fillMissing: 'zero' }, /features\.fillMissing: Invalid input: expected number, received string/],
];

/** The command lines that read a model; keep.csv and keep.json are outputs a refused run must leave as they were. */
const COMMANDS: [string, (model: string) => string[]][] = [
  ['predict', (m) => ['predict', m, p('sessions.parquet'), '-o', p('keep.csv')]],
  ['evaluate', (m) => ['evaluate', m, p('sessions.parquet')]],
  ['distill', (m) => ['distill', m, p('sessions.parquet'), '-o', p('keep.json')]],
  ['serve', (m) => ['serve', '--model', m, '--port', '0', '--host', '127.0.0.1']],
];

/** Run the binary; serve keeps running when it accepts a model, so it is bounded and then counts as accepted. */
function run(args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'bin/phantom.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 15_000 });
  return { code: r.status, stderr: r.stderr };
}

describe("a model's malformed features block is refused by every command that reads a model", () => {
  describe.each(COMMANDS)('%s', (name, argv) => {
    it.each(BAD)('features = %s: exit 2, one line naming the file and the field, output kept', (label, features, message) => {
      const model = p(`bad-${name}-${label.replace(/\W+/g, '-')}.json`);
      writeFileSync(model, withFeatures(features));
      const before = [readFileSync(p('keep.csv')), readFileSync(p('keep.json'))];
      const r = run(argv(model));
      expect(r.code, r.stderr).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^phantom ${name}: .*bad-${name}-.*\\.json: the model's phantom metadata is malformed: `));
      expect(lines[0]).toMatch(message);
      expect(readFileSync(p('keep.csv')).equals(before[0]!) && readFileSync(p('keep.json')).equals(before[1]!)).toBe(true);
    });
  });

  it('a model without a features block (not recorded) is still read: the defaults apply', () => {
    writeFileSync(p('no-features.json'), withFeatures(undefined));
    const r = run(['predict', p('no-features.json'), p('sessions.parquet'), '-o', p('scores.csv')]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('the pipeline path (parseClassifierModel) refuses the same block with the same words', () => {
    expect(() => parseClassifierModel(withFeatures(42))).toThrow("the model's phantom metadata is malformed:\n  features: Invalid input: expected object, received number");
    expect(parseClassifierModel(modelText).meta?.features).toEqual({ featureSet: 'default', timeoutSec: 900, fillMissing: null });
  });
});
