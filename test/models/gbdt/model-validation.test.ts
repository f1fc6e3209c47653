// Model files are validated fully on load: a split threshold, leaf value or index that is not a finite
// JSON number (the string "NaN", a string number, null) is refused with exit 2 naming the file and the
// field, instead of silently changing predictions. Real models (phantom's and xgboost's) still load.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromXgboostJson } from '../../../src/models/gbdt/xgboost-json-read.js';
import { phantom, ROOT } from '../../support/cli.js';

const GOLDEN = resolve(ROOT, 'test/golden');
type Doc = { learner: { gradient_booster: { model: { trees: Record<string, unknown[]>[] } } } };

function withCell(file: string, key: string, value: unknown): { path: string; index: number } {
  const doc = JSON.parse(readFileSync(join(GOLDEN, file), 'utf8')) as Doc;
  const tree = doc.learner.gradient_booster.model.trees[0]!;
  const index = (tree['left_children'] as number[]).findIndex((c) => c !== -1); // an internal node
  tree[key]![index] = value;
  const path = join(mkdtempSync(join(tmpdir(), 'phantom-model-')), 'model.json');
  writeFileSync(path, JSON.stringify(doc));
  return { path, index };
}

describe('model files are validated on load', () => {
  it('still reads models written by phantom and by xgboost', () => {
    for (const f of ['gbdt-phantom/depth4.json', 'gbdt-xgboost/depth4.json', 'gbdt-xgboost/missing.json']) {
      expect(fromXgboostJson(readFileSync(join(GOLDEN, f), 'utf8')).model.trees.length).toBeGreaterThan(0);
    }
  });

  it('refuses a split threshold "NaN" with exit 2, naming the file and the field', () => {
    const { path, index } = withCell('gbdt-phantom/depth4.json', 'split_conditions', 'NaN');
    for (const cmd of [['serve', '--model', path, '--port', '0'], ['predict', path, join(ROOT, 'test/golden/classifier/sessions.csv'), '-o', join(tmpdir(), 'never.csv')]]) {
      const r = phantom(cmd);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(path);
      expect(r.stderr).toContain(`tree 0: split_conditions[${index}] is "NaN", not a finite number`);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('refuses strings, nulls and fractional indices in every numeric field', () => {
    const cases: [string, unknown, string][] = [
      ['split_conditions', '0.5', 'split_conditions[%] is "0.5", not a finite number'],
      ['base_weights', null, 'base_weights[%] is null, not a finite number'],
      ['split_indices', 1.5, 'split_indices[%] is 1.5, not a finite integer'],
      ['left_children', 'Infinity', 'left_children[%] is "Infinity", not a finite integer'],
    ];
    for (const [key, value, message] of cases) {
      const { path, index } = withCell('gbdt-xgboost/depth4.json', key, value);
      expect(() => fromXgboostJson(readFileSync(path, 'utf8'))).toThrow(message.replace('%', String(index)));
    }
  });
});
