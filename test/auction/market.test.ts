// The market on the real run loop (issue 19, must-show 2, 3, 4): a non-degenerate default market,
// learning bidders that learn, and contamination that wastes spend unless the bidder is defended.
import { describe, expect, it } from 'vitest';
import { knownCtrTables } from '../../src/auction/ctr-model.js';
import { kernelPoolScorer } from '../../src/auction/kernel-scorer.js';
import { loadProfile } from '../../src/generate/profile.js';
import { createRng } from '../../src/stats/rng.js';
import { rocAuc } from '../../src/stats/roc.js';
import { resolveMarketParams } from '../../src/auction/params.js';
import { runMarket, type RunResult } from '../../src/auction/run.js';
import { STAGES } from '../../src/auction/stages.js';

const DEFAULT_BIDDERS = ['aggressive', 'conservative', 'retargeting', 'adaptive', 'brand', 'truthful'];
const run = (bidders: string[], o: { alpha?: number; seed?: number; auctions?: number; mechanism?: 'second-price' | 'first-price' | 'gsp'; stationary?: boolean } = {}): RunResult => runMarket({
  bidders, mechanism: o.mechanism ?? 'second-price', alpha: o.alpha ?? 0, seed: o.seed ?? 1, auctions: o.auctions ?? 100_000, ctr: knownCtrTables,
  // stationary: budgets that never bind and no pacing, so the opponents' bids do not change over the run
  params: resolveMarketParams(o.stationary ? { budgetPerAuction: 10, pacing: 'none' } : {}),
});

/** ROAS of bidder b over fifth k (0..4) of the run, from the per-bucket traces. */
function fifthRoas(r: RunResult, b: number, k: number): number {
  const nb = r.bidders.length, B = r.traces.buckets;
  let spend = 0, revenue = 0;
  for (let i = (k * B) / 5; i < ((k + 1) * B) / 5; i++) { spend += r.traces.spend[i * nb + b]!; revenue += r.traces.revenue[i * nb + b]!; }
  return revenue / spend;
}

describe('the auction market', () => {
  it('default market (second price, PID pacing, 6 bidders): no bidder wins more than 60 % and every bidder spends', () => {
    for (const seed of [1, 2, 3]) {
      const r = run(DEFAULT_BIDDERS, { seed, auctions: 60_000 });
      for (const b of r.bidders) {
        expect(b.winShare, `${b.bidder} seed ${seed}`).toBeLessThanOrEqual(0.6);
        expect(b.spend, `${b.bidder} seed ${seed}`).toBeGreaterThan(0);
        expect(b.conversions, `${b.bidder} seed ${seed}`).toBeGreaterThan(0);
      }
      // every stage occurs; the rule picks churn_risk for the rare visitors
      for (let s = 0; s < STAGES.length; s++) expect(r.market.stageMix[s], STAGES[s]).toBeGreaterThan(0.01);
      expect(r.market.surplus).toBeCloseTo(r.market.welfare - r.market.auctioneerRevenue, 6);
      expect(r.market.auctioneerRevenue).toBeCloseTo(r.bidders.reduce((s, b) => s + b.spend, 0), 6);
    }
  });

  it('is seeded: the same seed gives the same result, another seed a different one', () => {
    const a = run(DEFAULT_BIDDERS, { seed: 5, auctions: 20_000 }), b = run(DEFAULT_BIDDERS, { seed: 5, auctions: 20_000 }), c = run(DEFAULT_BIDDERS, { seed: 6, auctions: 20_000 });
    expect(JSON.stringify(a.bidders)).toBe(JSON.stringify(b.bidders));
    expect(JSON.stringify(a.bidders)).not.toBe(JSON.stringify(c.bidders));
  });

  it('budgets hold: no bidder spends more than its budget, under every pacing', () => {
    for (const pacing of ['none', 'throttling', 'pid'] as const) {
      const r = runMarket({ bidders: DEFAULT_BIDDERS, mechanism: 'gsp', alpha: 0, seed: 2, auctions: 30_000, ctr: knownCtrTables, params: resolveMarketParams({ pacing, budgetPerAuction: 0.05 }) });
      for (const b of r.bidders) expect(b.budgetUse, `${pacing} ${b.bidder}`).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('pacing spreads spend: with PID the aggressive bidder still spends in the last fifth; without pacing it runs dry early', () => {
    const lastFifthSpend = (pacing: 'none' | 'pid') => {
      const r = runMarket({ bidders: DEFAULT_BIDDERS, mechanism: 'second-price', alpha: 0, seed: 3, auctions: 50_000, ctr: knownCtrTables, params: resolveMarketParams({ pacing, budgetPerAuction: 0.05 }) });
      const nb = DEFAULT_BIDDERS.length, B = r.traces.buckets;
      let s = 0;
      for (let i = (4 * B) / 5; i < B; i++) s += r.traces.spend[i * nb]!;
      return s / r.bidders[0]!.spend;
    };
    expect(lastFifthSpend('none')).toBeLessThan(0.02);
    expect(lastFifthSpend('pid')).toBeGreaterThan(0.1);
  });

  it('LinUCB learns: in a stationary market its ROAS over the last fifth beats the first fifth, over seeds', () => {
    // opponents with fixed rules and budgets that never bind; LinUCB's reward asks each unit of spend to return 1.5
    const bidders = ['conservative', 'retargeting', 'brand', 'linucb'];
    const first = [0, 0], last = [0, 0], gains: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = run(bidders, { seed, auctions: 100_000, stationary: true });
      gains.push(fifthRoas(r, 3, 4) - fifthRoas(r, 3, 0));
      const nb = 4, B = r.traces.buckets;
      for (let i = 0; i < B / 5; i++) { first[0]! += r.traces.spend[i * nb + 3]!; first[1]! += r.traces.revenue[i * nb + 3]!; }
      for (let i = (4 * B) / 5; i < B; i++) { last[0]! += r.traces.spend[i * nb + 3]!; last[1]! += r.traces.revenue[i * nb + 3]!; }
    }
    expect(gains.reduce((s, g) => s + g, 0) / gains.length, gains.join(', ')).toBeGreaterThan(0);
    expect(last[1]! / last[0]!, 'pooled over seeds').toBeGreaterThan(first[1]! / first[0]!);
  });

  it('Thompson shading ends near truthful in second price, and shades in first price', () => {
    const opponents = ['conservative', 'retargeting', 'brand', 'truthful', 'shading'];
    const factor = (mechanism: 'second-price' | 'first-price', seed: number) => (run(opponents, { mechanism, seed, auctions: 60_000, stationary: true }).agents[4] as unknown as { meanFactor: number }).meanFactor;
    const second = [1, 2, 3].map((s) => factor('second-price', s)), first = [1, 2, 3].map((s) => factor('first-price', s));
    for (const f of second) expect(Math.abs(f - 1), `second price: ${second.join(', ')}`).toBeLessThanOrEqual(0.12);
    for (let i = 0; i < 3; i++) expect(first[i]!, `first price ${first.join(', ')} vs second ${second.join(', ')}`).toBeLessThan(second[i]! - 0.05);
  });

  it('contamination: wasted spend rises with α; at α = 0.3 defended bidders beat their undefended twins on ROAS, paired over seeds', () => {
    const bidders = ['aggressive', 'brand', 'retargeting', 'defended-retargeting', 'linucb', 'defended-linucb'];
    const wasted = [0, 0.15, 0.3].map((alpha) => run(bidders, { alpha, auctions: 20_000 }).market.wastedSpend);
    expect(wasted[0]).toBe(0);
    expect(wasted[1]!).toBeGreaterThan(wasted[0]!);
    expect(wasted[2]!).toBeGreaterThan(wasted[1]!);
    const runs = [1, 2, 3, 4, 5].map((seed) => run(bidders, { alpha: 0.3, seed, auctions: 25_000 }));
    for (const [plain, defended] of [[2, 3], [4, 5]] as const) {
      const diffs = runs.map((r) => r.bidders[defended]!.roas - r.bidders[plain]!.roas);
      expect(diffs.every((d) => d > 0), `${bidders[defended]} − ${bidders[plain]}: ${diffs.join(', ')}`).toBe(true);
    }
  });

  it('hindsight regret: zero for truthful bidding in second price, positive for over- and under-bidders; undefined in GSP', () => {
    const r = run(['aggressive', 'conservative', 'brand', 'truthful'], { auctions: 20_000, stationary: true });
    expect(Math.abs(r.bidders[3]!.regret)).toBeLessThan(1e-6);
    for (const b of r.bidders.slice(0, 3)) expect(b.regret, b.bidder).toBeGreaterThan(0);
    const f = run(['aggressive', 'conservative', 'brand', 'truthful'], { auctions: 20_000, stationary: true, mechanism: 'first-price' });
    expect(f.bidders[3]!.regret).toBeGreaterThan(0); // in first price truthful bidding leaves surplus on the table
    expect(run(['brand', 'truthful'], { auctions: 2_000, mechanism: 'gsp' }).bidders[0]!.regret).toBeNaN();
  });

  it('the kernel agent scorer (phantom\'s gap scorer on walked sessions) separates the classes, and a defended bidder reading it wastes less', async () => {
    const profiles = { human: await loadProfile('human'), agent: await loadProfile('agent') };
    const pool = kernelPoolScorer(profiles, createRng(4));
    const auc = rocAuc([...new Array<number>(pool.human.length).fill(0), ...new Array<number>(pool.agent.length).fill(1)], [...pool.human, ...pool.agent]);
    expect(auc).toBeGreaterThan(0.8);
    const r = runMarket({ bidders: ['aggressive', 'brand', 'retargeting', 'defended-retargeting'], mechanism: 'second-price', alpha: 0.3, seed: 1, auctions: 20_000, ctr: knownCtrTables, params: resolveMarketParams(), scorerProfiles: profiles });
    expect(r.bidders[3]!.wastedShare).toBeLessThan(r.bidders[2]!.wastedShare - 0.1);
  });

  it('GSP fills up to 3 slots and charges only exposed slots (exposure 1 / 0.8 / 0.6)', () => {
    const r = run(DEFAULT_BIDDERS, { mechanism: 'gsp', auctions: 30_000, stationary: true });
    const impressions = r.bidders.reduce((s, b) => s + b.impressions, 0), wins = r.bidders.reduce((s, b) => s + b.wins, 0);
    expect(wins).toBeGreaterThan(2 * 30_000);
    expect(impressions).toBeLessThan(wins);
    expect(impressions / wins).toBeGreaterThan(0.75);
  });
});
