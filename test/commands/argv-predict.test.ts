// argv → options of `phantom predict`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parsePredictArgs as parse } from '../../src/commands/predict.js';
import { PREDICT_DEFAULTS as D } from '../../src/models/classifier/run-predict.js';

describe('predict argv → options', () => {
  it('defaults are PREDICT_DEFAULTS (the threshold falls back to the model)', () => {
    expect(parse(['model.json', 'sessions.parquet', '-o', 'scores.parquet'])).toEqual({ model: 'model.json', input: 'sessions.parquet', out: 'scores.parquet', json: false, quiet: false, options: D });
    expect(D.threshold).toBeNull();
  });

  it('maps every flag to its option', () => {
    expect(parse(['m.json', 's.csv', '-o', 'x.csv', '--threshold', '0.7', '--json', '-q'])).toEqual({ model: 'm.json', input: 's.csv', out: 'x.csv', json: true, quiet: true, options: { threshold: 0.7 } });
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['m.json', 's.csv'])).toThrow(/required option '-o, --out <scores>' not specified/);
    expect(() => parse(['m.json', '-o', 'x.csv'])).toThrow(/missing required argument 'sessions'/);
    expect(() => parse(['m.json', 's.csv', '-o', 'x.csv', '--threshold', '2'])).toThrow('--threshold must be between 0 and 1, got 2');
  });
});
