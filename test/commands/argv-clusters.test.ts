// argv → options of `phantom clusters`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseClustersArgs as parse } from '../../src/commands/clusters.js';
import { CLUSTERS_DEFAULTS as D, ksText } from '../../src/clusters/run-clusters.js';
import { DEFAULT_TIMING, MIXTURE_DEFAULTS } from '../../src/clusters/index.js';
import { LABELLED_INPUT_DEFAULTS } from '../../src/kernels/run-kernels.js';

describe('clusters argv → options', () => {
  it('defaults are CLUSTERS_DEFAULTS, whose EM and timing defaults are the library constants', () => {
    expect(parse(['a.parquet', 'dir/'])).toEqual({ inputs: ['a.parquet', 'dir/'], labels: LABELLED_INPUT_DEFAULTS, out: null, plot: null, json: false, quiet: false, options: D });
    expect([D.restarts, D.maxIterations, D.timing, D.threads]).toEqual([MIXTURE_DEFAULTS.restarts, MIXTURE_DEFAULTS.maxIterations, DEFAULT_TIMING, MIXTURE_DEFAULTS.threads]);
    expect(ksText(D.ks)).toBe('2:10');
    expect(ksText([2, 4])).toBe('2,4');
  });

  it('maps every flag to its option', () => {
    const a = parse(['e.parquet', '-o', 'c.parquet', '--k', '3:5', '--restarts', '2', '--max-iterations', '50', '-s', '7', '--state', 'category', '--timing', 'none', '-w', '1',
      '--label-column', 'bot', '--experiments-from', 'x.csv', '--plot', 'p/', '--json', '-q']);
    expect(a).toEqual({
      inputs: ['e.parquet'], labels: { labelColumn: 'bot', experimentsFrom: 'x.csv' }, out: 'c.parquet', plot: 'p/', json: true, quiet: true,
      options: { ks: [3, 4, 5], restarts: 2, maxIterations: 50, seed: 7, state: 'category', timing: 'none', threads: 1 },
    });
    expect(parse(['e.parquet', '--k', '2,4,6']).options.ks).toEqual([2, 4, 6]);
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse([])).toThrow(/missing required argument 'events'/);
    expect(() => parse(['e.parquet', '--k', '0:3'])).toThrow('--k must be a range like 2:10 or a list like 2,3,5 of integers from 1 to 50 (got "0:3")');
    expect(() => parse(['e.parquet', '--timing', 'fast'])).toThrow('--timing must be one of dwell, gap, none, got "fast"');
    expect(() => parse(['e.parquet', '--restarts', '0'])).toThrow('--restarts must be between 1 and 1000, got 0');
    expect(() => parse(['e.parquet', '--workers', '0'])).toThrow('--workers must be between 1 and 64, got 0');
  });
});
