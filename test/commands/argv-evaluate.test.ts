// argv → options of `phantom evaluate`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseEvaluateArgs as parse } from '../../src/commands/evaluate.js';
import { EVALUATE_DEFAULTS as D } from '../../src/models/classifier/run-evaluate.js';

describe('evaluate argv → options', () => {
  it('defaults are EVALUATE_DEFAULTS (label and threshold from the model)', () => {
    expect(parse(['model.json', 'holdout.parquet'])).toEqual({ model: 'model.json', input: 'holdout.parquet', plot: null, json: false, quiet: false, options: { ...D, source: 'holdout.parquet' } });
  });

  it('maps every flag to its option', () => {
    const a = parse(['m.json', 's.csv', '--label-column', 'bot', '--threshold', 'f1', '--plot', 'p/', '--fail-under-auc', '0.8', '--group-by', 'site', '--recall-by', 'kind,source', '--json', '-q']);
    expect(a).toEqual({
      model: 'm.json', input: 's.csv', plot: 'p/', json: true, quiet: true,
      options: { labelColumn: 'bot', threshold: 'f1', failUnderAuc: 0.8, groupBy: 'site', recallBy: ['kind', 'source'], source: 's.csv' },
    });
  });

  it('takes the legacy --label alias, and refuses it when it disagrees with --label-column', () => {
    expect(parse(['m.json', 's.csv', '--label', 'y']).options.labelColumn).toBe('y');
    expect(() => parse(['m.json', 's.csv', '--label', 'y', '--label-column', 'z'])).toThrow('--label is the old name of --label-column; give one of them');
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['m.json'])).toThrow(/missing required argument 'sessions'/);
    expect(() => parse(['m.json', 's.csv', '--fail-under-auc', '1.5'])).toThrow('--fail-under-auc must be between 0 and 1, got 1.5');
    expect(() => parse(['m.json', 's.csv', '--threshold', 'best'])).toThrow(/--threshold/);
  });
});
