// argv → options of `phantom simulate`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseSimulateArgs as parse } from '../../src/commands/simulate.js';
import { numberListText, SIMULATE_DEFAULTS as D, SIMULATE_OUT_DEFAULT, thresholdText } from '../../src/sim/run-simulate.js';
import { BOUNDS_DEFAULTS, DEFAULT_ARMS, MARKET_DEFAULTS, POLICY_DEFAULTS } from '../../src/sim/index.js';

describe('simulate argv → options', () => {
  it('defaults are SIMULATE_DEFAULTS, whose policy, market and bound defaults are the library constants', () => {
    expect(parse([])).toEqual({ out: SIMULATE_OUT_DEFAULT, plot: true, json: false, quiet: false, options: D });
    expect(D.policy).toEqual(POLICY_DEFAULTS);
    expect(D.arrivals).toBe(MARKET_DEFAULTS.arrivals);
    expect([D.floor, D.cap]).toEqual([BOUNDS_DEFAULTS.floor, BOUNDS_DEFAULTS.cap]);
  });

  it('writes the defaults in --help as before', () => {
    expect(numberListText(D.alphas)).toBe('0:0.6:0.1');
    expect(numberListText(DEFAULT_ARMS)).toBe('0.8:1.2:0.05');
    expect(numberListText([0.1, 0.5])).toBe('0.1,0.5');
    expect([thresholdText(POLICY_DEFAULTS.surgeHigh), thresholdText(POLICY_DEFAULTS.surgeLow), thresholdText({ kind: 'absolute', value: 3 })]).toEqual(['q0.8', 'q0.2', '3']);
  });

  it('maps every flag to its option', () => {
    const a = parse(['-a', '0,0.5', '-p', 'surge,robust-surge', '--seeds', '2', '-s', '9', '--steps', '50', '--arrivals', '20', '--products', '30', '--base-price-range', '10:100',
      '--catalog', 'c.csv', '--floor', '0.5', '--cap', '2', '--profile-human', 'h.yaml', '--profile-agent', 'a.yaml', '--kernels', 'k.json', '--market', 'm.json', '--temperature', '2',
      '--surge-high', 'q0.9', '--surge-low', '5', '--surge-up', '1.3', '--surge-down', '0.8', '--smoothing', '0.5', '--arms', '0.9,1.1', '--ucb-alpha', '2', '--radius', '0.2', '--points', '5',
      '--workers', '0', '-o', 'sim', '--no-plot', '--ci', '0.9', '--trace-alpha', '0.5', '--json']);
    expect(a).toMatchObject({ out: 'sim', plot: false, json: true });
    expect(a.options).toEqual({
      alphas: [0, 0.5], policies: ['surge', 'robust-surge'], seeds: 2, seed: 9, steps: 50, arrivals: 20, products: 30, basePriceRange: [10, 100], catalog: 'c.csv', floor: 0.5, cap: 2,
      profileHuman: 'h.yaml', profileAgent: 'a.yaml', kernels: 'k.json', market: 'm.json', temperature: 2, workers: 0, ci: 0.9, traceAlpha: 0.5,
      policy: { ...POLICY_DEFAULTS, surgeHigh: { kind: 'quantile', value: 0.9 }, surgeLow: { kind: 'absolute', value: 5 }, surgeUp: 1.3, surgeDown: 0.8, smoothing: 0.5, ucbArms: [0.9, 1.1], ucbAlpha: 2, robustRadius: 0.2, robustPoints: 5 },
    });
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['-a', '0:1'])).toThrow('--alpha: a range is start:stop:step with stop >= start and step > 0, got "0:1"');
    expect(() => parse(['-a', '0,2'])).toThrow('--alpha: values must be within [0, 1], got 2');
    expect(() => parse(['-p', 'sometimes'])).toThrow(/^--policy: /);
    expect(() => parse(['--trace-alpha', '0.55'])).toThrow('--trace-alpha 0.55 is not one of the --alpha values');
    expect(() => parse(['--base-price-range', '5'])).toThrow('--base-price-range: expected a:b with 0 < a <= b, got "5"');
    expect(() => parse(['--surge-high', 'q2'])).toThrow('--surge-high: a quantile threshold is q followed by a number in [0, 1], got "q2"');
    expect(() => parse(['--seeds', '0'])).toThrow('--seeds must be between 1 and 10000, got 0');
  });
});
