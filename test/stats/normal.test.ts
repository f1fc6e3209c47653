import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalPdf, normalSf } from '../../src/stats/normal.js';
import { normalIsf, normalQuantile } from '../../src/stats/normal-quantile.js';
import { expectClose, golden, nums } from './golden.js';

describe('erf / erfc (Cody) against scipy.special', () => {
  const x = nums(golden.erf.x), e = nums(golden.erf.erf), ec = nums(golden.erf.erfc);
  it('erf matches to 1e-14 relative', () => {
    x.forEach((v, i) => expectClose(erf(v), e[i]!, 1e-14, 1e-300, `erf(${v})`));
  });
  it('erfc matches to 1e-13 relative, deep tail included', () => {
    x.forEach((v, i) => expectClose(erfc(v), ec[i]!, 1e-13, 1e-300, `erfc(${v})`));
    expect(erfc(26.5)).toBeGreaterThan(0);
  });
  it('handles NaN and infinities', () => {
    expect(erf(NaN)).toBeNaN();
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(-Infinity)).toBe(-1);
  });
});

describe('normal distribution against scipy.stats.norm', () => {
  const x = nums(golden.normal.x);
  it('cdf and sf match to 1e-12 relative down to 1e-300 and beyond', () => {
    // Below 1e-308 cephes flushes to 0 (|x| > 37.7) while Cody's erfc still gives the subnormal value.
    const cdf = nums(golden.normal.cdf), sf = nums(golden.normal.sf);
    x.forEach((v, i) => {
      expectClose(normalCdf(v), cdf[i]!, 1e-12, 1e-300, `cdf(${v})`);
      expectClose(normalSf(v), sf[i]!, 1e-12, 1e-300, `sf(${v})`);
    });
    expectClose(normalSf(38), 2.885428351e-316, 1e-3, 0, 'subnormal tail'); // mpmath.ncdf(-38) = 2.8854283600…e-316
  });
  it('pdf matches', () => {
    const pdf = nums(golden.normal.pdf);
    x.forEach((v, i) => expectClose(normalPdf(v), pdf[i]!, 1e-13, 1e-320, `pdf(${v})`));
  });
  it('quantile and isf match ndtri to 1e-14 relative', () => {
    const p = nums(golden.quantiles.p), ppf = nums(golden.quantiles.ppf), isf = nums(golden.quantiles.isf);
    p.forEach((v, i) => {
      expectClose(normalQuantile(v), ppf[i]!, 1e-14, 1e-15, `ppf(${v})`);
      expectClose(normalIsf(v), isf[i]!, 1e-14, 1e-15, `isf(${v})`);
    });
  });
  it('quantile inverts the cdf (round trip) and has the right edges', () => {
    for (const z of [-30, -9, -3, -0.5, 0, 0.2, 2]) expectClose(normalQuantile(normalCdf(z)), z, 1e-12, 1e-14, `z=${z}`);
    for (const z of [3, 9, 30]) expectClose(normalIsf(normalSf(z)), z, 1e-12, 1e-14, `isf z=${z}`);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalIsf(0)).toBe(Infinity);
  });
});
