// `phantom auction` end to end on the built binary: byte-identical outputs for any thread count, --json,
// --config validation with every problem listed, usage errors with exit 2, --write-impressions and generate --format impressions.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { phantom } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-auction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GRID = ['auction', '--bidders', 'aggressive,retargeting,defended-retargeting,brand,linucb,shading', '--mechanism', 'second-price,gsp', '--alpha', '0,0.3', '--seeds', '2', '-n', '4000', '--seed', '7', '-q'];

describe('phantom auction', () => {
  it('writes byte-identical runs.csv and market.csv with 0, 1 and 2 worker threads', () => {
    const outs = ['0', '1', '2'].map((w) => {
      const out = join(dir, `w${w}`);
      const r = phantom([...GRID, '--workers', w, '-o', out, '--no-plot']);
      expect(r.code, r.stderr).toBe(0);
      return [readFileSync(join(out, 'runs.csv')), readFileSync(join(out, 'market.csv'))];
    });
    for (const k of [1, 2]) { expect(outs[k]![0]!.equals(outs[0]![0]!)).toBe(true); expect(outs[k]![1]!.equals(outs[0]![1]!)).toBe(true); }
    const lines = outs[0]![0]!.toString().trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 2 * 2 * 2 * 6);
    expect(lines[0]).toMatch(/^mechanism,alpha,seed,auctions,bidder,/);
    expect(outs[0]![1]!.toString().trimEnd().split('\n')).toHaveLength(1 + 8);
  });

  it('--json: summary per bidder and market, paired defended gains, files; figures are SVG', () => {
    const out = join(dir, 'json');
    const r = phantom([...GRID, '--workers', '2', '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { grid: { seeds: number[] }; bidders: { bidder: string; metrics: { roas: { n: number } } }[]; marketSummary: unknown[]; defendedGains: { bidder: string; base: string; alpha: number }[]; wasteOnAlpha: unknown[]; files: { figures: string[] }; market: { rules: { reserve: number } } };
    expect(j.grid.seeds).toEqual([7, 8]);
    expect(j.bidders).toHaveLength(2 * 2 * 6);
    expect(j.marketSummary).toHaveLength(4);
    expect(j.defendedGains.map((g) => `${g.bidder}/${g.base}/${g.alpha}`)).toContain('defended-retargeting/retargeting/0.3');
    expect(j.wasteOnAlpha).toHaveLength(2);
    expect(j.market.rules.reserve).toBe(0.05);
    for (const name of ['win-share', 'spend', 'roas', 'revenue-welfare-vs-alpha']) {
      expect(existsSync(join(out, `${name}.svg`))).toBe(true);
      expect(readFileSync(join(out, `${name}.svg`), 'utf8')).toMatch(/^<svg/);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { grid: unknown };
    expect(summary.grid).toEqual(j.grid);
  });

  it('--config: flags win over the file; a bad file lists every problem with its path (exit 2)', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ market: { rules: { reserve: 0.2 }, pacing: 'throttling' }, bidders: ['brand', 'truthful'], alpha: [0.1], seeds: 1, auctions: 2000 }));
    const r = phantom(['auction', '--config', good, '--seed', '3', '--json', '-o', join(dir, 'cfg'), '--no-plot', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { grid: { bidders: string[]; alphas: number[]; seeds: number[]; auctions: number }; market: { rules: { reserve: number }; pacing: string } };
    expect(j.grid).toMatchObject({ bidders: ['brand', 'truthful'], alphas: [0.1], seeds: [3], auctions: 2000 });
    expect(j.market.rules.reserve).toBe(0.2);
    expect(j.market.pacing).toBe('throttling');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ market: { rules: { reserve: -1, slots: 0 }, pacing: 'fast', typo: 1 }, alpha: [2], seeds: 0 }));
    const e = phantom(['auction', '--config', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr.trim().split('\n')).toHaveLength(1);
    for (const path of ['market.rules.reserve', 'market.rules.slots', 'market.pacing', 'alpha.0', 'seeds', '"typo"']) expect(e.stderr).toContain(path);
  });

  it('bad flags are one-line usage errors (exit 2), no stack trace', () => {
    for (const [args, message] of [
      [['--bidders', 'aggressive,greedy,defended-foo'], /unknown bidder "greedy".*unknown bidder "defended-foo"/],
      [['--mechanism', 'vickrey'], /--mechanism: unknown vickrey/],
      [['--alpha', '0,1.5'], /--alpha: values must be within \[0, 1\]/],
      [['--pacing', 'slow'], /--pacing must be one of none, throttling, pid/],
      [['--ctr-data', join(dir, 'nope.csv')], /--ctr-data .*nope\.csv: no such file/],
      [['--ctr-model', join(dir, 'nope.json')], /--ctr-model .*nope\.json: no such file/],
      [['--auctions', '0'], /--auctions must be between 1/],
      [['--config', join(dir, 'nope.json')], /--config .*nope\.json: no such file/],
      [['--ctr-data', 'a.csv', '--ctr-model', 'b.json'], /--ctr-data and --ctr-model are alternatives/],
    ] as const) {
      const r = phantom(['auction', ...args, '-o', join(dir, 'bad')]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--write-impressions writes an Avazu-style table that --ctr-data trains on', () => {
    const file = join(dir, 'imp.csv');
    const w = phantom(['auction', '--write-impressions', file, '--impressions', '30000', '--seed', '2', '--json']);
    expect(w.code, w.stderr).toBe(0);
    expect(JSON.parse(w.stdout)).toMatchObject({ rows: 30000, seed: 2 });
    const text = readFileSync(file, 'utf8').split('\n');
    expect(text[0]).toBe('hour,banner_pos,device_type,device_conn_type,site_category,app_category,C14,C15,C16,C17,C18,C19,C20,C21,click');
    expect(text[1]).toMatch(/^141\d{5},[01],\d,\d,[0-9a-f]{8},[0-9a-f]{8},/);
    const r = phantom(['auction', '--ctr-data', file, '-n', '3000', '--seeds', '1', '--json', '-o', join(dir, 'ctr'), '--no-plot', '--workers', '0']);
    expect(r.code, r.stderr).toBe(0);
    const ctr = (JSON.parse(r.stdout) as { ctr: { testAuc: number; knownFunctionAuc: number; calibrationError: number; rows: { test: number } } }).ctr;
    expect(ctr.rows.test).toBe(6000);
    expect(ctr.testAuc).toBeGreaterThan(0.6);
    expect(Math.abs(ctr.testAuc - ctr.knownFunctionAuc)).toBeLessThan(0.05);
    expect(ctr.calibrationError).toBeLessThan(0.03);
    // phantom generate --format impressions writes the same table for the same rows and seed
    const g = phantom(['generate', '--format', 'impressions', '-n', '30000', '--seed', '2', '-o', join(dir, 'imp-generate.csv'), '--json']);
    expect(g.code, g.stderr).toBe(0);
    expect(JSON.parse(g.stdout)).toMatchObject({ format: 'impressions', rows: 30000, seed: 2 });
    expect(readFileSync(join(dir, 'imp-generate.csv'), 'utf8')).toBe(readFileSync(file, 'utf8'));
  });
});
