// Evaluation figures draw their intervals (issue 17, build 5): the reliability plot carries each bin's Wilson
// 95% interval (scipy's binomtest(k, n).proportion_ci(method='wilson') values below), the ROC legend the AUC's
// DeLong CI, and the before-calibration curve is a series of its own in the legend.
import { describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../../src/models/classifier/index.js';
import { evaluationSvgs } from '../../../src/models/classifier/figures.js';
import { svgProblems } from '../../kernels/svg-check.js';

// bin [0, 0.1): 12 sessions at p 0.05 with 3 positives; bin [0.9, 1]: 50 sessions at p 0.95 with 47 positives
const p = [...Array(12).fill(0.05), ...Array(50).fill(0.95)];
const y = [...Array(12).fill(0).map((_, i) => (i < 3 ? 1 : 0)), ...Array(50).fill(0).map((_, i) => (i < 47 ? 1 : 0))];
const SCIPY = [[0.08894166839405471, 0.5323053349335657], [0.8378290831116182, 0.979385029651026]];

function attrs(svg: string, cls: string): { series: string; lo: number; hi: number }[] {
  return [...svg.matchAll(new RegExp(`class="${cls}" data-series="([^"]*)" data-lo="([^"]*)" data-hi="([^"]*)"`, 'g'))]
    .map((m) => ({ series: m[1]!, lo: Number(m[2]), hi: Number(m[3]) }));
}

describe('evaluation figures', () => {
  const m = binaryMetrics(y, p, 'f1');

  it('calibration: one Wilson 95% bar per non-empty bin, at scipy values, and a shaded band', () => {
    const svg = evaluationSvgs(y, p, m).calibration;
    const bars = attrs(svg, 'interval-bar');
    expect(bars).toHaveLength(2);
    bars.forEach((b, i) => {
      expect(b.series).toMatch(/^model \(ECE .*; bars: Wilson 95%\)$/);
      expect(b.lo).toBeCloseTo(SCIPY[i]![0]!, 12);
      expect(b.hi).toBeCloseTo(SCIPY[i]![1]!, 12);
    });
    expect(svg).toContain('class="interval"');
    expect(svgProblems(svg)).toEqual([]);
  });

  it('with raw probabilities, the before-calibration curve is in the legend and only the calibrated one has bars', () => {
    const svg = evaluationSvgs(y, p, m, p.map((v) => (v < 0.5 ? 0.3 : 0.7))).calibration;
    expect(svg).toMatch(/>before calibration \(ECE [^<]+\)</);
    expect(attrs(svg, 'interval-bar').every((b) => b.series.startsWith('calibrated'))).toBe(true);
  });

  it('ROC: the legend names the AUC with its DeLong 95% CI', () => {
    expect(evaluationSvgs(y, p, m).roc).toMatch(/ROC \(AUC [\d.]+, 95% CI [\d.]+–[\d.]+, DeLong\)/);
  });
});
