// The Wilson score interval against scipy 1.17.1:
//   from scipy.stats import binomtest; binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { wilsonInterval } from '../../src/stats/wilson.js';

const SCIPY: [number, number, number, number][] = [
  [0, 12, 0.0, 0.24249400665524085],
  [3, 12, 0.08894166839405471, 0.5323053349335657],
  [12, 12, 0.7575059933447592, 1.0],
  [47, 50, 0.8378290831116182, 0.979385029651026],
  [1, 1, 0.20654931437723745, 1.0],
  [250, 1000, 0.2241530989836914, 0.27776028025908617],
];

describe('wilsonInterval', () => {
  it.each(SCIPY)('k %i of n %i matches scipy to 1e-12', (k, n, lower, upper) => {
    const ci = wilsonInterval(k, n);
    expect(ci.lower).toBeCloseTo(lower, 12);
    expect(ci.upper).toBeCloseTo(upper, 12);
    expect(ci).toMatchObject({ level: 0.95, method: 'Wilson' });
  });

  it('is symmetric in k ↔ n − k and widens with the level', () => {
    const a = wilsonInterval(3, 12), b = wilsonInterval(9, 12);
    expect(a.lower).toBeCloseTo(1 - b.upper, 14);
    const wide = wilsonInterval(3, 12, 0.99);
    expect(wide.lower).toBeLessThan(a.lower);
    expect(wide.upper).toBeGreaterThan(a.upper);
  });

  it('refuses what is not a count', () => {
    expect(() => wilsonInterval(13, 12)).toThrow(UsageError);
    expect(() => wilsonInterval(1.5, 12)).toThrow(/integers 0 <= k <= n/);
    expect(() => wilsonInterval(1, 0)).toThrow(UsageError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(/level/);
  });
});
