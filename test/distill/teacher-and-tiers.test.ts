import { describe, expect, it } from 'vitest';
import { resolveCoefficients, TEACHER_DEFAULTS, teacherMarkup } from '../../src/distill/teacher.js';
import { assignTiers, parseTiers, tierMarkup, tiersText } from '../../src/distill/tiers.js';
import { UsageError } from '../../src/errors.js';

describe('teacherMarkup', () => {
  it('is clip(1 + 0.5 p_agent − 0.3 p_purchase, 0.7, 1.5) by default', () => {
    expect(TEACHER_DEFAULTS).toEqual({ a: 0.5, b: 0.3, lo: 0.7, hi: 1.5 });
    const m = teacherMarkup(Float64Array.of(0, 1, 0.9, 0, 0.2), Float64Array.of(0, 0, 0.1, 1, 0.5));
    expect(Array.from(m)).toEqual([1, 1.5, 1 + 0.45 - 0.03, 0.7, 1 + 0.1 - 0.15]);
  });

  it('clips at the bounds and treats a null p_purchase as 0', () => {
    const m = teacherMarkup(Float64Array.of(1, 0), null, { a: 2, b: 0, lo: 0.9, hi: 1.2 });
    expect(Array.from(m)).toEqual([1.2, 1]);
    expect(Array.from(teacherMarkup(Float64Array.of(0), Float64Array.of(1), { b: 1, lo: 0.5 }))).toEqual([0.5]);
  });

  it('passes NaN through and refuses bad coefficients and lengths', () => {
    expect(Number.isNaN(teacherMarkup(Float64Array.of(NaN), null)[0])).toBe(true);
    expect(() => resolveCoefficients({ lo: 2, hi: 1 })).toThrow(/lo \(2\) must not exceed hi/);
    expect(() => resolveCoefficients({ a: NaN })).toThrow(UsageError);
    expect(() => teacherMarkup(Float64Array.of(0.1, 0.2), Float64Array.of(0))).toThrow(/p_purchase has 1 values for 2/);
  });
});

describe('tiers', () => {
  it('parses score:markup entries into a base tier (markup 1) and ascending tiers', () => {
    expect(parseTiers('0.7:1.3, 0.4:1.1')).toEqual([
      { minScore: -Infinity, markup: 1 }, { minScore: 0.4, markup: 1.1 }, { minScore: 0.7, markup: 1.3 },
    ]);
    expect(parseTiers('0:0.95,0.5:1.2')).toEqual([{ minScore: -Infinity, markup: 0.95 }, { minScore: 0.5, markup: 1.2 }]);
  });

  it('reports every malformed entry at once', () => {
    expect(() => parseTiers('0.4-1.1,0.7:0,0.7:1.2')).toThrow(/"0.4-1.1" is not score:markup; "0.7:0": markup must be > 0/);
    expect(() => parseTiers('0.5:1.1,0.5:1.2')).toThrow(/threshold 0.5 appears twice/);
    expect(() => parseTiers(' , ')).toThrow(/no tiers given/);
  });

  it('assigns the highest tier whose threshold the score reaches (thresholds inclusive)', () => {
    const tiers = parseTiers('0.4:1.1,0.7:1.3');
    expect(Array.from(assignTiers(Float64Array.of(0, 0.39, 0.4, 0.69, 0.7, 1, NaN), tiers))).toEqual([0, 0, 1, 1, 2, 2, -1]);
    expect(Array.from(tierMarkup([0, 1, 2], tiers))).toEqual([1, 1.1, 1.3]);
    expect(tiersText(tiers)).toBe('0:1,0.4:1.1,0.7:1.3');
    expect(parseTiers(tiersText(tiers))).toEqual(tiers);
  });
});
