// A table's columns that do not fit (no label column, not the model's features) are reported with the
// file's name, not "the data": the real binary on a CSV with other columns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-source-msg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('messages about a table name its file', () => {
  const csv = join(dir, 'other-columns.csv');
  writeFileSync(csv, 'a,b\n1,2\n3,4\n');

  it('train-classifier: "<file> has no label column"', () => {
    const r = phantom(['train-classifier', csv, '-o', join(dir, 'm.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`phantom train-classifier: ${csv} has no label column 'is_agent' (columns: a, b); choose one with --label-column`);
  });

  it('predict: "<file> does not fit the model\'s features"', () => {
    const sessions = join(dir, 'sessions.parquet'), model = join(dir, 'model.json');
    expect(phantom(['features', 'fixtures/events.parquet', '-o', sessions, '-q']).code).toBe(0);
    expect(phantom(['train-classifier', sessions, '-o', model, '--cv', '0', '-q']).code).toBe(0);
    const r = phantom(['predict', model, csv, '-o', join(dir, 's.parquet')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`phantom predict: ${csv} does not fit the model's features: missing columns`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
