// report.html in a real browser (Debian's chromium, headless, driven by playwright-core): it renders
// without console errors or network requests, every figure is an SVG with a visible size, data marks in
// the DOM and coloured pixels when drawn; a full-page screenshot is kept for a human to look at.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPipelineConfig, runPipeline } from '../../src/pipeline/index.js';

const CHROMIUM = process.env.PHANTOM_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`report browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set PHANTOM_CHROMIUM)`);

interface Figure { label: string; width: number; height: number; marks: number; coloured: number }

const EXPECTED: [RegExp, string][] = [
  [/^Event mix by class$/, 'grouped bars'], [/^human kernel/, 'heat map'], [/^agent kernel/, 'heat map'], [/^agent − human kernel$/, 'heat map'],
  [/^Gap scores by class/, 'strip/box plot'], [/^ROC curve$/, 'line'], [/^Precision–recall curve$/, 'line'], [/^Calibration/, 'line'],
  [/^Feature importance/, 'bars'], [/^Single-feature signal/, 'bars'], [/^P\(purchase \| state\)/, 'bars'],
];

describe.skipIf(!haveChromium)('report.html in headless chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'phantom-report-'));
  const screenshot = join(dir, 'report.png');
  let context: BrowserContext, page: Page;
  const problems: string[] = [];
  let figures: Figure[] = [];

  beforeAll(async () => {
    const { config } = await loadPipelineConfig(null, { out: join(dir, 'out') });
    const { result } = await runPipeline(config, null);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'phantom-chromium-')), {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1200, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`); });
    await page.goto(`file://${resolve(result.paths.report)}`, { waitUntil: 'load' });
    await page.screenshot({ path: screenshot, fullPage: true });
    // Each top-level figure: its rendered size, its data marks, and how many coloured pixels it draws.
    figures = await page.evaluate(async () => {
      const out: Figure[] = [];
      for (const svg of Array.from(document.querySelectorAll('.figs > svg'))) {
        const box = svg.getBoundingClientRect();
        const marks = svg.querySelectorAll('[data-series], rect.cell, circle, polyline').length;
        const img = new Image();
        img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        // data marks are drawn in colour; frames, grid and text are grey or black
        let coloured = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.max(px[i]!, px[i + 1]!, px[i + 2]!) - Math.min(px[i]!, px[i + 1]!, px[i + 2]!) > 50) coloured++;
        out.push({ label: svg.getAttribute('aria-label') ?? '', width: box.width, height: box.height, marks, coloured });
      }
      return out;
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
  });

  it('renders without console errors and loads nothing from the network', () => {
    expect(problems).toEqual([]);
  });

  it('has every figure, each a visible SVG with data marks that draw coloured pixels', () => {
    for (const [pattern, kind] of EXPECTED) {
      const f = figures.find((x) => pattern.test(x.label));
      expect(f, `${kind} ${pattern}`).toBeDefined();
      expect(f!.width * f!.height, f!.label).toBeGreaterThan(100 * 100);
      expect(f!.marks, f!.label).toBeGreaterThan(0);
      expect(f!.coloured, f!.label).toBeGreaterThan(400); // more than the legend swatches
    }
    expect(figures).toHaveLength(EXPECTED.length);
  });

  it('heat maps have one cell per state pair, the strip plot one dot per scored session', async () => {
    const counts = await page.evaluate(() => Array.from(document.querySelectorAll('.figs > svg')).map((svg) => ({
      label: svg.getAttribute('aria-label') ?? '', cells: svg.querySelectorAll('rect.cell').length, dots: svg.querySelectorAll('circle').length,
    })));
    const human = counts.find((c) => c.label.startsWith('human kernel'))!;
    expect(Math.sqrt(human.cells) % 1).toBe(0);
    expect(human.cells).toBeGreaterThanOrEqual(100);
    expect(counts.find((c) => c.label.startsWith('Gap scores'))!.dots).toBeGreaterThanOrEqual(289);
  });

  it('saves a full-page screenshot', () => {
    console.info(`report screenshot: ${screenshot}`);
    expect(statSync(screenshot).size).toBeGreaterThan(100_000);
  });
});
