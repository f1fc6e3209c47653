// Figures that compare several policies or classes show how much data and uncertainty lie behind them
// (issue 17, build 5): the simulator's α curves draw each policy's CI of the mean; kernel heat maps print
// each row's transition count and fade rows resting on too few transitions.
import { describe, expect, it } from 'vitest';
import { heatmapSvg, FADED_OPACITY } from '../../src/report/figures/heatmap.js';
import { alphaCurveChart } from '../../src/report/figures/sim-alpha-curves.js';
import { interval, type SummaryCell } from '../../src/sim/summary.js';
import { attributeValues, svgProblems } from '../kernels/svg-check.js';

const seeds = (base: number) => [base - 3, base + 1, base + 2, base, base - 1];
function cells(): SummaryCell[] {
  const out: SummaryCell[] = [];
  for (const [policy, base] of [['static', 100], ['surge', 102]] as const) {
    for (const alpha of [0, 0.3, 0.6]) {
      const m = interval(seeds(base - alpha * 10), 0.95);
      out.push({ policy, alpha, metrics: { revenue: m, coi: m, regret: m, humanRevenuePerSession: m } } as unknown as SummaryCell);
    }
  }
  return out;
}

describe('simulate α curves', () => {
  it('draw one band and one whisker per point, at the cells\' interval bounds', () => {
    const c = cells();
    const svg = alphaCurveChart(c, 'revenue', 'Revenue vs contamination', 'revenue per run', 0.95);
    expect(svgProblems(svg)).toEqual([]);
    expect(svg).toContain('shaded: 95% CI of the mean');
    expect(attributeValues(svg, 'interval', 'data-series')).toEqual(['static', 'surge']);
    const lo = attributeValues(svg, 'interval-bar', 'data-lo').map(Number), hi = attributeValues(svg, 'interval-bar', 'data-hi').map(Number);
    expect(lo).toEqual(c.map((x) => x.metrics.revenue.lo));
    expect(hi).toEqual(c.map((x) => x.metrics.revenue.hi));
    // the intervals here overlap between policies: the figure must show it, not only the means
    expect(hi[0]!).toBeGreaterThan(lo[3]!);
  });
});

describe('kernel heat map rows', () => {
  it('carry their transition counts and fade rows marked as resting on too few transitions', () => {
    const labels = ['<end>', 'a', 'b', 'c'];
    const svg = heatmapSvg({
      title: 'k', labels, values: new Float64Array(16).fill(0.25), scale: 'sequential', valueLabel: 'P',
      rowCounts: [0, 500, 7, 0], faded: [false, false, true, false], unobserved: [false, false, false, true], fadeNote: 'rows with n < 30 are faded',
    });
    expect(svgProblems(svg)).toEqual([]);
    expect(attributeValues(svg, 'row-label', 'data-count')).toEqual(['0', '500', '7', '0']);
    expect(svg).toContain('a n=500');
    expect(svg).toContain('b n=7');
    expect(svg).toContain('c (no data)');
    const opacity = attributeValues(svg, 'cell', 'fill-opacity');
    // attributeValues keeps one entry per cell: only row b's four cells are faded
    expect(opacity.filter((o) => o === String(FADED_OPACITY))).toHaveLength(4);
    expect(svg).toContain('rows with n &lt; 30 are faded');
  });
});
