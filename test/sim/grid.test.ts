// The grid runner's pieces in this thread: cells, ordering, runs.csv, summaries and regressions.
import { describe, expect, it } from 'vitest';
import type { GridRow, GridSpec } from '../../src/sim/grid-cell.js';
import { runGrid } from '../../src/sim/grid.js';
import { parseNumberList, parsePolicyList, parsePriceRange } from '../../src/sim/grid-options.js';
import { resolvePolicyParams } from '../../src/sim/policies/policy-params.js';
import { numberCell, RUN_COLUMNS, runsCsv } from '../../src/sim/runs-csv.js';
import { defenceGains, interval, ols, regressOnAlpha, summarise } from '../../src/sim/summary.js';
import { setupData } from './setup-fixture.js';

const spec: GridSpec = {
  setup: setupData(), alphas: [0, 0.4], policies: ['static', 'defended-surge', 'robust-surge'], seeds: [7, 8], steps: 15,
  params: resolvePolicyParams(), traceAlpha: 0.4,
};

describe('grid in the main thread', async () => {
  const result = await runGrid(spec, { workers: 0 });

  it('returns one row per α × policy × seed in grid order, with regret against the oracle', () => {
    expect(result.workers).toBe(0);
    expect(result.rows.map((r) => `${r.alpha}/${r.policy}/${r.seed}`)).toEqual([
      '0/static/7', '0/static/8', '0/defended-surge/7', '0/defended-surge/8', '0/robust-surge/7', '0/robust-surge/8',
      '0.4/static/7', '0.4/static/8', '0.4/defended-surge/7', '0.4/defended-surge/8', '0.4/robust-surge/7', '0.4/robust-surge/8',
    ]);
    const withOracle = { ...spec, policies: ['oracle', 'static'], alphas: [0.4], seeds: [7] };
    return runGrid(withOracle, { workers: 0 }).then((r) => {
      expect(r.rows[0]!.regret).toBe(0);
      expect(r.rows[1]!.regret).toBeCloseTo(r.rows[0]!.revenue - r.rows[1]!.revenue, 6);
      expect(r.rows[1]!.revenue).toBe(result.rows[6]!.revenue); // the same cell gives the same run
    });
  });

  it('keeps price traces for the first seed at the trace α', () => {
    expect(result.traces.map((t) => `${t.alpha}/${t.policy}/${t.seed}`)).toEqual(['0.4/static/7', '0.4/defended-surge/7', '0.4/robust-surge/7']);
    expect(result.traces[0]!.multiplier).toHaveLength(15);
  });

  it('writes runs.csv with a fixed header and stable number formatting', () => {
    const text = runsCsv(result.rows);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(RUN_COLUMNS.join(','));
    expect(lines).toHaveLength(13);
    expect(lines[1]!.startsWith('0,static,7,15,')).toBe(true);
    expect(lines[1]!.endsWith(',')).toBe(true); // detection AUC undefined without agents
    expect(numberCell(0.1 + 0.2)).toBe('0.3');
    expect(numberCell(NaN)).toBe('');
    expect(numberCell(12)).toBe('12');
  });
});

describe('summaries', () => {
  const row = (policy: string, alpha: number, revenue: number): GridRow => ({ ...Object.fromEntries(RUN_COLUMNS.map((c) => [c, 0])), policy, alpha, revenue, detectionAuc: NaN } as unknown as GridRow);

  it('mean ± normal CI per policy and α', () => {
    const cells = summarise([row('a', 0, 10), row('a', 0, 14), row('a', 0.5, 8), row('b', 0, 1)], 0.95);
    expect(cells.map((c) => `${c.policy}/${c.alpha}`)).toEqual(['a/0', 'a/0.5', 'b/0']);
    const r = cells[0]!.metrics.revenue;
    expect(r.mean).toBe(12);
    expect(r.sd).toBeCloseTo(Math.SQRT2 * 2, 12);
    expect(r.hi - r.mean).toBeCloseTo(1.959963984540054 * 2, 9);
    expect(cells[0]!.metrics.detectionAuc.n).toBe(0);
    expect(interval([5], 0.9)).toEqual({ mean: 5, sd: 0, lo: 5, hi: 5, n: 1 });
  });

  it('OLS slope, SE and R² (checked against hand computation)', () => {
    const exact = ols([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(exact.slope).toBeCloseTo(2, 12);
    expect(exact.intercept).toBeCloseTo(1, 12);
    expect(exact.r2).toBeCloseTo(1, 12);
    expect(exact.se).toBeCloseTo(0, 12);
    // y = [1, 2, 2, 4]: slope 0.9, intercept 0.9, SSR 0.7, SE = √(0.7 / 2 / 5), R² = 1 − 0.7/4.75
    const noisy = ols([0, 1, 2, 3], [1, 2, 2, 4]);
    expect(noisy.slope).toBeCloseTo(0.9, 12);
    expect(noisy.se).toBeCloseTo(Math.sqrt(0.07), 12);
    expect(noisy.r2).toBeCloseTo(1 - 0.7 / 4.75, 12);
    const regs = regressOnAlpha([row('a', 0, 10), row('a', 0.5, 6), row('a', 1, 2), row('b', 0, 1), row('b', 1, 1)], 'revenue');
    expect(regs.map((r) => [r.policy, r.slope])).toEqual([['a', -8], ['b', 0]]);
  });
});

describe('paired defence gains', () => {
  const row = (policy: string, alpha: number, seed: number, revenue: number): GridRow => ({ ...Object.fromEntries(RUN_COLUMNS.map((c) => [c, 0])), policy, alpha, seed, revenue } as unknown as GridRow);

  it('differences wrapped − base on the same α and seed, per α and pooled', () => {
    const rows = [
      row('surge', 0, 1, 100), row('surge', 0, 2, 200), row('defended-surge', 0, 1, 103), row('defended-surge', 0, 2, 201),
      row('surge', 0.5, 1, 50), row('surge', 0.5, 2, 90), row('defended-surge', 0.5, 1, 60), row('defended-surge', 0.5, 2, 100),
      row('robust-linucb', 0, 1, 5), // its base is not in the grid: no gain reported
    ];
    const [g, ...rest] = defenceGains(rows, 'revenue');
    expect(rest).toHaveLength(0);
    expect(g!.policy).toBe('defended-surge');
    expect(g!.base).toBe('surge');
    expect(g!.byAlpha.map((b) => [b.alpha, b.difference.mean, b.difference.n])).toEqual([[0, 2, 2], [0.5, 10, 2], [null, 6, 4]]);
    expect(g!.byAlpha[0]!.difference.sd).toBeCloseTo(Math.SQRT2, 12);
  });
});

describe('flag parsing', () => {
  it('α lists and ranges', () => {
    expect(parseNumberList('0:0.6:0.1', '--alpha', 0, 1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(parseNumberList('0.3, 0,1', '--alpha', 0, 1)).toEqual([0.3, 0, 1]);
    for (const bad of ['', '0:1', '1:0:0.1', '0:1:0', 'a', '0,1.5', '0.1,0.1']) expect(() => parseNumberList(bad, '--alpha', 0, 1)).toThrow(/--alpha/);
  });

  it('policies and price ranges', () => {
    expect(parsePolicyList('surge, defended-surge')).toEqual(['surge', 'defended-surge']);
    expect(() => parsePolicyList('surge,foo,defended-oracle')).toThrow(/"foo".*oracle/);
    expect(() => parsePolicyList('surge,surge')).toThrow(/twice/);
    expect(parsePriceRange('50:500', '--base-price-range')).toEqual([50, 500]);
    expect(() => parsePriceRange('500:50', '--base-price-range')).toThrow(/--base-price-range/);
  });
});
