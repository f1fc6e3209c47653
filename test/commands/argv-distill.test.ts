// argv → options of `phantom distill`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseDistillArgs as parse } from '../../src/commands/distill.js';
import { DISTILL_DEFAULTS as D, HUMAN_SAFE_DEFAULTS, TEACHER_DEFAULTS as T } from '../../src/distill/index.js';

describe('distill argv → options', () => {
  it('defaults are DISTILL_DEFAULTS and TEACHER_DEFAULTS; rules.txt goes beside rules.json', () => {
    expect(parse(['model.json', 'sessions.parquet', '-o', 'rules.json'])).toEqual({
      out: 'rules.json', textOut: 'rules.txt', json: false, quiet: false,
      options: {
        sessions: 'sessions.parquet', model: 'model.json', purchaseModel: null, targetColumn: null, tiers: null, exclude: [], allowOutcomeColumns: false, priceColumn: null,
        coefficients: { ...T }, humanSafe: { ...HUMAN_SAFE_DEFAULTS }, seed: D.seed, maxDepth: D.maxDepth, minSamplesLeaf: D.minSamplesLeaf, testSize: D.testSize, scaleMinSamplesLeaf: true,
      },
    });
    expect(parse(['s.parquet', '--target-column', 'risk', '-o', 'r']).textOut).toBe('r.txt');
  });

  it('maps every flag to its option', () => {
    const a = parse(['m.json', 's.csv', '-o', 'r.json', '--text-out', 't.txt', '--purchase-model', 'buy.json', '--max-depth', '3', '--min-samples-leaf', '7', '--test-size', '0', '-s', '9',
      '--exclude', 'a,b', '--exclude', 'c', '--allow-outcome-columns', '--price-column', 'p', '--agent-weight', '0.4', '--purchase-weight', '0.2', '--markup-bounds', '0.8:1.3', '--json']);
    expect(a).toEqual({
      out: 'r.json', textOut: 't.txt', json: true, quiet: false,
      options: {
        sessions: 's.csv', model: 'm.json', purchaseModel: 'buy.json', targetColumn: null, tiers: null, exclude: ['a', 'b', 'c'], allowOutcomeColumns: true, priceColumn: 'p',
        coefficients: { a: 0.4, b: 0.2, lo: 0.8, hi: 1.3 }, humanSafe: { ...HUMAN_SAFE_DEFAULTS }, seed: 9, maxDepth: 3, minSamplesLeaf: 7, testSize: 0, scaleMinSamplesLeaf: false,
      },
    });
    expect(parse(['m.json', 's.csv', '-o', 'r.json', '--human-safe']).options.humanSafe).toEqual({ ...HUMAN_SAFE_DEFAULTS });
    expect(parse(['m.json', 's.csv', '-o', 'r.json', '--human-safe', '0.2:1.05']).options.humanSafe).toEqual({ maxPAgent: 0.2, maxMarkup: 1.05 });
    expect(parse(['m.json', 's.csv', '-o', 'r.json', '--human-safe', 'off']).options.humanSafe).toBeNull();
    expect(parse(['m.json', 's.csv', '-o', 'r.json', '--target-column', 'risk']).options.humanSafe).toBeNull(); // no markup: nothing to bound
    expect(parse(['m.json', 's.csv', '-o', 'r.json', '--tiers', '0.4:1.1,0.7:1.3']).options.tiers).toEqual([{ minScore: -Infinity, markup: 1 }, { minScore: 0.4, markup: 1.1 }, { minScore: 0.7, markup: 1.3 }]);
  });

  it('refuses bad values and flags that do not apply with the documented message', () => {
    expect(() => parse(['a', 'b', 'c', '-o', 'r.json'])).toThrow('expected [model.json] sessions.parquet, got 3 inputs');
    expect(() => parse(['s.parquet', '-o', 'r.json'])).toThrow('give the classifier model before the sessions, or distil a score column with --target-column');
    expect(() => parse(['s.parquet', '--target-column', 'risk', '--agent-weight', '1', '-o', 'r.json'])).toThrow(/do not apply with --target-column$/);
    expect(() => parse(['m.json', 's.parquet', '--markup-bounds', '2:1', '-o', 'r.json'])).toThrow('--markup-bounds takes lo:hi with lo <= hi, got "2:1"');
    expect(() => parse(['m.json', 's.parquet', '--max-depth', '0', '-o', 'r.json'])).toThrow('--max-depth must be between 1 and 30, got 0');
    expect(() => parse(['s.parquet', '--target-column', 'risk', '--human-safe', '-o', 'r.json'])).toThrow(/^--human-safe bounds the markup a clear human pays: it needs model.json/);
  });
});
