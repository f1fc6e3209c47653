// argv → options of `phantom train-classifier`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseTrainClassifierArgs as parse } from '../../src/commands/train-classifier.js';
import { TRAIN_CLASSIFIER_DEFAULTS as D } from '../../src/models/classifier/run-train.js';

describe('train-classifier argv → options', () => {
  it('defaults are TRAIN_CLASSIFIER_DEFAULTS', () => {
    const a = parse(['data/sessions.parquet', '-o', 'm.json']);
    expect(a).toMatchObject({ input: 'data/sessions.parquet', out: 'm.json', json: false, quiet: false });
    expect(a.options).toEqual({ ...D, source: 'data/sessions.parquet' });
  });

  it('maps every flag to its option', () => {
    const a = parse(['s.csv', '--out', 'm.json', '--label-column', 'purchased', '--exclude', 'a,b', '--exclude', 'c', '--test-size', '0.2', '-s', '7',
      '--param', 'max_depth=4', '--param', 'eta=0.1', '--threshold', 'youden', '--fail-under-auc', '0.9', '--recall-by', 'kind', '-w', '3', '--json', '-q']);
    expect(a).toMatchObject({ json: true, quiet: true });
    expect(a.options).toEqual({
      ...D, source: 's.csv', labelColumn: 'purchased', exclude: ['a', 'b', 'c'], testSize: 0.2, seed: 7, params: { max_depth: '4', eta: '0.1' },
      threshold: 'youden', failUnderAuc: 0.9, recallBy: ['kind'], workers: 3,
    });
    expect(parse(['s.csv', '-o', 'm.json', '--cv', '3', '--group-by', 'site', '--threshold', '0.3']).options).toMatchObject({ cv: 3, groupBy: 'site', threshold: 0.3 });
  });

  it('takes the legacy --label alias, and refuses it when it disagrees with --label-column', () => {
    expect(parse(['s.csv', '-o', 'm.json', '--label', 'y']).options.labelColumn).toBe('y');
    expect(() => parse(['s.csv', '-o', 'm.json', '--label', 'y', '--label-column', 'z'])).toThrow('--label is the old name of --label-column; give one of them');
  });

  it('refuses bad values and inconsistent flags with the documented message', () => {
    expect(() => parse(['s.csv'])).toThrow(/required option '-o, --out <model.json>' not specified/);
    expect(() => parse(['s.csv', '-o', 'm.json', '--cv', 'x'])).toThrow('--cv takes a whole number, got "x"');
    expect(() => parse(['s.csv', '-o', 'm.json', '--param', 'oops'])).toThrow('--param takes key=value');
    expect(() => parse(['s.csv', '-o', 'm.json', '--cv', '5', '--test-size', '0.2'])).toThrow('--cv and --test-size are alternatives: give one');
    expect(() => parse(['s.csv', '-o', 'm.json', '--cv', '1'])).toThrow('--cv 1 leaves nothing to train on');
    expect(() => parse(['s.csv', '-o', 'm.json', '--cv', '0', '--fail-under-auc', '0.9'])).toThrow('--fail-under-auc needs an evaluation');
    expect(() => parse(['s.csv', '-o', 'm.json', '--group-by', 'site', '--test-size', '0.2'])).toThrow('--group-by splits by group');
    expect(() => parse(['s.csv', '-o', 'm.json', '--workers', '0'])).toThrow('--workers must be between 1 and 256, got 0');
  });
});
