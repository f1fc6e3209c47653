// argv → options of `phantom kernels` and `phantom separability`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseKernelsArgs } from '../../src/commands/kernels.js';
import { parseSeparabilityArgs } from '../../src/commands/separability.js';
import { KERNELS_DEFAULTS, LABELLED_INPUT_DEFAULTS } from '../../src/kernels/run-kernels.js';
import { SEPARABILITY_DEFAULTS } from '../../src/kernels/run-separability.js';

describe('kernels argv → options', () => {
  it('defaults are KERNELS_DEFAULTS', () => {
    const a = parseKernelsArgs(['a.parquet', 'b.jsonl']);
    expect(a).toEqual({ inputs: ['a.parquet', 'b.jsonl'], labels: LABELLED_INPUT_DEFAULTS, out: null, plot: null, json: false, quiet: false, options: KERNELS_DEFAULTS });
  });

  it('maps every flag to its option', () => {
    const a = parseKernelsArgs(['e.parquet', '-o', 'k.json', '--plot', 'p/', '--label-column', 'bot', '--experiments-from', 'x.csv', '--state', 'category', '--no-boundary',
      '--pooling', 'mean-of-rows', '--smoothing', '0', '--weighting', 'uniform', '--bootstrap', '0', '-s', '7', '--order', 'auto', '--absorbing', '--evaluate-next', '--top', '3', '--json', '-q']);
    expect(a).toEqual({
      inputs: ['e.parquet'], labels: { labelColumn: 'bot', experimentsFrom: 'x.csv' }, out: 'k.json', plot: 'p/', json: true, quiet: true,
      options: { state: 'category', boundary: false, pooling: 'mean-of-rows', smoothing: 0, weighting: 'uniform', bootstrap: 0, seed: 7, order: 'auto', absorbing: true, evaluateNext: true, top: 3 },
    });
    expect(parseKernelsArgs(['e.parquet', '--order', '2']).options.order).toBe(2);
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parseKernelsArgs([])).toThrow(/missing required argument 'events'/);
    expect(() => parseKernelsArgs(['e.parquet', '--state', 'page'])).toThrow('--state must be one of event, category');
    expect(() => parseKernelsArgs(['e.parquet', '--smoothing', '-1'])).toThrow('--smoothing must be between 0 and Infinity, got -1');
    expect(() => parseKernelsArgs(['e.parquet', '--order', '9'])).toThrow(/--order must be 1 to \d+ or auto \(got "9"\)/);
    expect(() => parseKernelsArgs(['e.parquet', '--bootstrap', '1.5'])).toThrow('--bootstrap takes a whole number, got "1.5"');
  });
});

describe('separability argv → options', () => {
  it('defaults are SEPARABILITY_DEFAULTS', () => {
    const a = parseSeparabilityArgs(['e.parquet']);
    expect(a).toEqual({ inputs: ['e.parquet'], labels: LABELLED_INPUT_DEFAULTS, kernelsFile: null, out: null, plot: null, failIfPAbove: null, json: false, quiet: false, options: SEPARABILITY_DEFAULTS });
  });

  it('maps every flag to its option', () => {
    const a = parseSeparabilityArgs(['e.parquet', '-o', 's.csv', '--plot', 'p', '--in-sample', '--temperature', '2', '--alternative', 'less', '--method', 'permutation',
      '--no-continuity', '--permutations', '99', '-s', '3', '--fail-if-p-above', '0.01', '--order', '2', '--pooling', 'mean-of-rows', '--smoothing', '0.1', '--weighting', 'uniform']);
    expect(a).toMatchObject({ out: 's.csv', plot: 'p', failIfPAbove: 0.01 });
    expect(a.options).toEqual({ ...SEPARABILITY_DEFAULTS, inSample: true, temperature: 2, alternative: 'less', method: 'permutation', continuity: false, permutations: 99, seed: 3, order: 2, pooling: 'mean-of-rows', smoothing: 0.1, weighting: 'uniform' });
  });

  it('with --kernels, smoothing and weighting come from the stored kernels unless given', () => {
    expect(parseSeparabilityArgs(['e.parquet', '--kernels', 'k.json']).options).toMatchObject({ smoothing: null, weighting: null, kernels: null });
    expect(parseSeparabilityArgs(['e.parquet', '--kernels', 'k.json', '--smoothing', '0.5']).options).toMatchObject({ smoothing: 0.5, weighting: null });
    expect(parseSeparabilityArgs(['e.parquet', '--kernels', 'k.json']).kernelsFile).toBe('k.json');
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parseSeparabilityArgs(['e.parquet', '--alternative', 'up'])).toThrow('--alternative must be one of two-sided, less, greater, got "up"');
    expect(() => parseSeparabilityArgs(['e.parquet', '--order', '4'])).toThrow('--order must be between 1 and 3, got 4');
    expect(() => parseSeparabilityArgs(['e.parquet', '--fail-if-p-above', '2'])).toThrow('--fail-if-p-above must be between 0 and 1, got 2');
  });
});
