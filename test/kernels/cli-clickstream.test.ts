// End to end: `phantom kernels --order / --absorbing / --evaluate-next` with the real binary on the fixtures.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';
import { svgProblems } from './svg-check.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-kernels-cs-'));
const events = 'fixtures/events.parquet';

describe('phantom kernels: order, absorbing, next click', () => {
  it('--order 2 fits history × next kernels and reports them in kernels.json', () => {
    const out = join(dir, 'k2.json');
    const r = phantom(['kernels', events, '--order', '2', '--bootstrap', '10', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/order\s+2 \(\d+ histories\)/);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.order).toBe(2);
    expect(doc.histories[0]).toBe('<start> → <start>');
    expect(doc.classes.human.kernel).toHaveLength(doc.histories.length);
    for (const row of doc.classes.human.kernel as number[][]) {
      expect(row).toHaveLength(doc.vocabulary.length);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    }
    expect(doc.divergence.js).toBeGreaterThan(0);
    // a stored order-2 kernel is refused for scoring with a clear message
    const s = phantom(['separability', events, '--kernels', out]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/order-2 kernels/);
  });

  it('--order auto --absorbing --evaluate-next --json: selectedOrder per class, absorbing and next-click sections, a figure', () => {
    const plots = join(dir, 'plots');
    const r = phantom(['kernels', events, '--order', 'auto', '--absorbing', '--evaluate-next', '--bootstrap', '0', '--json', '--plot', plots]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const c of ['human', 'agent']) {
      const sel = doc.orderSelection[c];
      expect(doc.classes[c].selectedOrder).toBe(sel.selectedOrder);
      expect(sel.fits.map((f: { order: number }) => f.order)).toEqual([1, 2, 3]);
      expect(sel.byCriterion.bic).toBe(sel.selectedOrder);
      const a = doc.absorbing[c];
      const start = a.vocabulary.indexOf('<start>');
      expect(a.conversion).toBe(a.purchaseProbability[start]);
      expect(a.purchaseProbability[a.vocabulary.indexOf('purchase_complete')]).toBe(1);
      expect(doc.nextClick[c].scores[0].model).toBe('popularity');
    }
    const svgs = readdirSync(plots).filter((f) => f.endsWith('.svg'));
    expect(svgs).toContain('absorbing-purchase.svg');
    for (const f of svgs) expect(svgProblems(readFileSync(join(plots, f), 'utf8')), f).toEqual([]);
  });

  it('bad --order values are usage errors (exit 2, one line, no stack)', () => {
    for (const bad of ['4', 'two']) {
      const r = phantom(['kernels', events, '--order', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--order must be 1 to 3 or auto/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const r = phantom(['kernels', events, '--state', 'category', '--absorbing', '--bootstrap', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--absorbing needs a purchase_complete state/);
  });

  it('separability --order 2: order-2 gap scores, the order in --json; refused with stored kernels', () => {
    const r = phantom(['separability', events, '--order', '2', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.params.order).toBe(2);
    expect(doc.test.pvalue).toBeLessThan(1e-6);
    expect(doc.test.statistic).not.toBe(1147); // the first-order U on this fixture (README)
    const s = phantom(['separability', events, '--order', '2', '--kernels', join(dir, 'k2.json')]);
    expect(s.code).toBe(2);
  });
});
