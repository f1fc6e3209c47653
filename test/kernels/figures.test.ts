// The SVG figures of `kernels --plot` / `separability --plot`: well formed, one mark per datum, values intact.
import { describe, expect, it } from 'vitest';
import { heatmapSvg } from '../../src/report/figures/heatmap.js';
import { kernelDot } from '../../src/report/figures/kernel-dot.js';
import { stripBoxSvg, tukeyBox } from '../../src/report/figures/strip-box.js';
import { median, quantile } from '../../src/stats/descriptive.js';
import { createRng } from '../../src/stats/rng.js';
import { attributeValues, svgProblems } from './svg-check.js';

const labels = ['<end>', '<start>', 'a & b', 'page_view', 'view_item_page'];
const rng = createRng(3);
const kernel = Float64Array.from({ length: 25 }, () => rng.next());
kernel[7] = NaN;

describe('heat map', () => {
  it('is well formed, has V² cells carrying their values, escapes labels', () => {
    const svg = heatmapSvg({ title: 'k <1>', labels, values: kernel, scale: 'sequential', valueLabel: 'P', unobserved: [false, false, true, false, false] });
    expect(svgProblems(svg)).toEqual([]);
    const values = attributeValues(svg, 'cell', 'data-value');
    expect(values).toHaveLength(25);
    values.forEach((v, i) => (Number.isNaN(kernel[i]) ? expect(v).toBe('NaN') : expect(Number(v)).toBe(kernel[i])));
    expect(svg).toContain('a &amp; b (no data)');
    expect(svg).toContain('k &lt;1&gt;');
  });

  it('uses a diverging scale symmetric around 0', () => {
    const diff = Float64Array.from(kernel, (x) => (Number.isNaN(x) ? 0 : x - 0.5));
    const svg = heatmapSvg({ title: 'd', labels, values: diff, scale: 'diverging', valueLabel: 'Δ' });
    expect(svgProblems(svg)).toEqual([]);
    const fills = attributeValues(svg, 'cell', 'fill');
    const i = diff.indexOf(Math.max(...diff)), j = diff.indexOf(Math.min(...diff));
    expect(fills[i]).toMatch(/^rgb\(\d+,\d+,2\d\d\)$/); // blue end
    expect(fills[j]).toMatch(/^rgb\(1\d\d,\d+,\d+\)$/); // red end
  });
});

describe('strip/box plot', () => {
  const a = Array.from({ length: 57 }, () => rng.normal() - 1), b = [...Array.from({ length: 31 }, () => rng.normal() + 1), NaN];
  it('draws one point per finite value and Tukey boxes at numpy quartiles', () => {
    const svg = stripBoxSvg([{ name: 'human', values: a }, { name: 'agent', values: b }], { title: 'gaps', yLabel: 'gap', reference: 0 });
    expect(svgProblems(svg)).toEqual([]);
    expect(attributeValues(svg, 'point', 'data-group').filter((g) => g === 'human')).toHaveLength(57);
    expect(attributeValues(svg, 'point', 'data-group').filter((g) => g === 'agent')).toHaveLength(31);
    expect(attributeValues(svg, 'box', 'data-median').map(Number)).toEqual([median(a), median(b.slice(0, 31))]);
    const box = tukeyBox(Float64Array.from(a).sort());
    expect(box.q1).toBe(quantile(a, 0.25));
    expect(box.low).toBeGreaterThanOrEqual(box.q1 - 1.5 * (box.q3 - box.q1));
    expect(svg).toContain('class="reference"');
  });
});

describe('DOT graph', () => {
  it('has one edge per transition above the threshold, quoted names, no self-loop on <end>', () => {
    const k = new Float64Array(25);
    k[0] = 1; // <end> absorbing
    k[5 + 3] = 0.9; k[5 + 4] = 0.1; k[15 + 0] = 0.005; k[15 + 2] = 0.995;
    const dot = kernelDot({ name: 'human', labels, kernel: k });
    expect(dot.match(/->/g)).toHaveLength(3);
    expect(dot).toContain('"<start>" -> "page_view" [label="0.90"');
    expect(dot).toContain('"a & b"');
    expect(dot.trim().endsWith('}')).toBe(true);
  });
});

describe('the SVG check itself', () => {
  it('catches unbalanced tags, unescaped text and NaN coordinates', () => {
    const head = '<svg xmlns="http://www.w3.org/2000/svg">';
    expect(svgProblems(`${head}<g></svg>`)).not.toEqual([]);
    expect(svgProblems(`${head}<text>a & b</text></svg>`)).not.toEqual([]);
    expect(svgProblems(`${head}<rect x="NaN"/></svg>`)).not.toEqual([]);
    expect(svgProblems(`${head}<rect x="1"/></svg>`)).toEqual([]);
  });
});
