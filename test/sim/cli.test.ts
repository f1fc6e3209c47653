// `phantom simulate` end to end on the built binary (issue 9, item 4: byte-identical runs.csv with 1 and
// 2 worker threads). Grids are kept tiny so the file runs in seconds.
import { mkdtempSync, readFileSync, existsSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GRID = ['--alpha', '0,0.3', '--policy', 'static,defended-surge,linucb,robust-surge', '--seeds', '2', '--steps', '25', '--seed', '11', '-q'];

describe('phantom simulate', () => {
  it('writes byte-identical runs.csv with 1 and 2 worker threads (and in the main thread)', () => {
    const csv = ['1', '2', '0'].map((w) => {
      const out = join(dir, `w${w}`);
      const r = phantom(['simulate', ...GRID, '--workers', w, '-o', out, '--no-plot']);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(out, 'runs.csv'));
    });
    expect(csv[0]!.length).toBeGreaterThan(500);
    expect(csv[1]!.equals(csv[0]!)).toBe(true);
    expect(csv[2]!.equals(csv[0]!)).toBe(true);
    expect(csv[0]!.toString().trimEnd().split('\n')).toHaveLength(1 + 2 * 4 * 2);
  });

  it('--json reports the summary, the α regressions and the files; figures are SVG', () => {
    const out = join(dir, 'json');
    const r = phantom(['simulate', ...GRID, '--workers', '2', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      grid: { alphas: number[]; policies: string[] }; summary: { policy: string; alpha: number; metrics: { revenue: { mean: number; n: number } } }[];
      regressions: { policy: string; metric: string; slope: number; se: number; r2: number }[]; files: { runs: string; figures: string[] }; workers: number;
    };
    expect(j.grid.alphas).toEqual([0, 0.3]);
    expect(j.summary).toHaveLength(8);
    expect(j.summary[0]!.metrics.revenue.n).toBe(2);
    expect(j.regressions.filter((x) => x.metric === 'revenue').map((x) => x.policy)).toEqual(['static', 'defended-surge', 'linucb', 'robust-surge']);
    for (const x of j.regressions) expect(Number.isFinite(x.slope) && Number.isFinite(x.se)).toBe(true);
    expect(j.workers).toBe(2);
    const svgs = j.files.figures.filter((f) => f.endsWith('.svg'));
    expect(svgs.map((f) => f.split('/').pop())).toEqual(['revenue-vs-alpha.svg', 'regret-vs-alpha.svg', 'coi-vs-alpha.svg', 'price-traces.svg']);
    const revenue = readFileSync(svgs[0]!, 'utf8');
    expect(revenue.startsWith('<svg')).toBe(true);
    expect(revenue.match(/<polyline data-series=/g)).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).regressions).toHaveLength(12);
  });

  it('prints the summary table and the regressions', () => {
    const r = phantom(['simulate', ...GRID, '--policy', 'surge,defended-surge', '--workers', '1', '-o', join(dir, 'table'), '--no-plot']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/policy\s+α\s+revenue \(±95% CI\)/);
    expect(r.stdout).toMatch(/slope per unit α ± SE/);
    expect(r.stdout).toMatch(/defended-surge − surge\s+all\s/);
    expect(r.stdout).toMatch(/defended-surge\s+0\.3\s/);
  });

  it('the closing line counts the oracle runs the regrets need, as the progress does', () => {
    const base = ['simulate', '--alpha', '0,0.3', '--seeds', '1', '--steps', '5', '--workers', '0', '--no-plot'];
    const r = phantom([...base, '--policy', 'static', '-o', join(dir, 'count')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^2 runs \+ 2 oracle runs for the regrets \(5 steps each\)/m);
    const o = phantom([...base, '--policy', 'static,oracle', '-o', join(dir, 'count-oracle')]);
    expect(o.stderr).toMatch(/^4 runs \(5 steps each\)/m);
  });

  it('reads a catalog file with inventory, and random catalogs', () => {
    const catalog = join(dir, 'catalog.csv');
    writeFileSync(catalog, 'id,base_price,inventory\nroom-a,120,3\nroom-b,80,\nroom-c,300,1\n');
    const r = phantom(['simulate', '--catalog', catalog, '--alpha', '0.2', '--policy', 'surge', '--seeds', '1', '--steps', '20', '-o', join(dir, 'cat'), '--no-plot', '--json', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(dir, 'cat', 'runs.csv'), 'utf8').split('\n');
    const conversions = Number(csv[1]!.split(',')[csv[0]!.split(',').indexOf('conversions')]);
    expect(conversions).toBeGreaterThan(0);
    const big = phantom(['simulate', '--products', '100', '--alpha', '0.2', '--policy', 'linucb', '--seeds', '1', '--steps', '10', '-o', join(dir, 'big'), '--no-plot', '--json', '--workers', '0']);
    expect(big.code, big.stderr).toBe(0);
    expect(JSON.parse(big.stdout).grid.products).toBe(100);
  });

  it('takes market overrides from --market and validates them', () => {
    const good = join(dir, 'market.json'), bad = join(dir, 'bad-market.json');
    writeFileSync(good, JSON.stringify({ arrivals: 20, agent: { appealSigma: 1.5 } }));
    writeFileSync(bad, JSON.stringify({ agent: { appealSigma: -1, colour: 'red' } }));
    const r = phantom(['simulate', '--market', good, '--alpha', '0.5', '--policy', 'static', '--seeds', '1', '--steps', '10', '-o', join(dir, 'mk'), '--no-plot', '--json', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { market: { arrivals: number; agent: { appealSigma: number; wtpMedian: number } } };
    expect(j.market.arrivals).toBe(20);
    expect(j.market.agent).toMatchObject({ appealSigma: 1.5, wtpMedian: 0.9 });
    const e = phantom(['simulate', '--market', bad, '--steps', '5', '--seeds', '1', '-o', join(dir, 'mk2')]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--market .*agent\.appealSigma.*colour/);
  });

  it('rejects bad flags with exit code 2 and names the flag', () => {
    const cases: [string[], RegExp][] = [
      [['--alpha', '1.5'], /--alpha/],
      [['--policy', 'static,greedy'], /unknown policy "greedy"/],
      [['--policy', 'defended-oracle'], /cannot be wrapped/],
      [['--surge-high', 'q7'], /--surge-high/],
      [['--floor', '1.2', '--cap', '1.1'], /--floor\/--cap/],
      [['--catalog', join(dir, 'missing.csv')], /--catalog/],
      [['--kernels', join(dir, 'missing.json')], /--kernels/],
      [['--steps', '0'], /--steps/],
      [['--alpha', '0,0.2', '--trace-alpha', '0.3'], /--trace-alpha/],
    ];
    for (const [args, message] of cases) {
      const r = phantom(['simulate', ...args, '--seeds', '1', '--steps', args.includes('--steps') ? args[args.indexOf('--steps') + 1]! : '5', '-o', join(dir, 'bad'), '--no-plot']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
    expect(existsSync(join(dir, 'bad', 'runs.csv'))).toBe(false);
  });
});
