// Mechanism properties (issue 19, must-show 1) on the real auction functions, over many seeded draws.
import { describe, expect, it } from 'vitest';
import { auctionResult, boundedBid, firstPriceAuction, gspAuction, mechanism, RULE_DEFAULTS, secondPriceAuction, type AuctionRules } from '../../src/auction/mechanisms/index.js';
import { createRng } from '../../src/stats/rng.js';

const rules: AuctionRules = { ...RULE_DEFAULTS, exposure: [1, 0.8, 0.6] };
const rng = createRng(7);

function randomBids(n: number, r = rng): Float64Array {
  // a mix of sub-reserve bids, ties on a 0.05 grid, and the bounds
  return Float64Array.from({ length: n }, () => boundedBid(r.next() < 0.2 ? r.next() * 0.06 : Math.round(r.next() * 60) * 0.05 + (r.next() < 0.05 ? 30 : 0), rules));
}

describe('auction mechanisms', () => {
  it('never charges a winner more than its bid, in every mechanism, and never less than the reserve', () => {
    const bad: string[] = [];
    for (const name of ['second-price', 'first-price', 'gsp'] as const) {
      const run = mechanism(name, 8), out = auctionResult(3);
      for (let k = 0; k < 20_000; k++) {
        const n = 1 + rng.int(8), bids = randomBids(n);
        run(bids, n, rules, rng, out);
        for (let s = 0; s < out.filled; s++) if (out.prices[s]! > bids[out.winners[s]!]! || out.prices[s]! < rules.reserve) bad.push(`${name}: ${Array.from(bids)} → slot ${s} pays ${out.prices[s]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('second price: the highest bid wins and pays min(own bid, max(second bid, reserve) + 0.01)', () => {
    const out = auctionResult(1), bad: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const n = 2 + rng.int(6), bids = randomBids(n);
      secondPriceAuction(bids, n, rules, rng, out);
      const eligible = Array.from(bids).filter((b) => b >= rules.reserve).sort((a, b) => b - a);
      if (eligible.length === 0) { if (out.filled !== 0) bad.push(`${Array.from(bids)}: sold`); continue; }
      const expected = eligible.length === 1 ? rules.reserve : Math.min(eligible[0]!, Math.max(eligible[1]!, rules.reserve) + rules.increment);
      if (bids[out.winners[0]!] !== eligible[0] || Math.abs(out.prices[0]! - expected) > 1e-12) bad.push(`${Array.from(bids)}: ${out.winners[0]} pays ${out.prices[0]}, expected ${expected}`);
    }
    expect(bad).toEqual([]);
    secondPriceAuction(Float64Array.of(2, 1.5, 0.3), 3, rules, rng, out);
    expect([out.winners[0], out.prices[0]]).toEqual([0, 1.51]);
    // tie at the top: the winner pays its own bid (second bid + 0.01 would exceed it)
    secondPriceAuction(Float64Array.of(1, 1), 2, rules, rng, out);
    expect(out.prices[0]).toBe(1);
  });

  it('enforces the reserve: bids below it neither win nor set the price', () => {
    const out = auctionResult(1);
    secondPriceAuction(Float64Array.of(0.04, 0.049, 0.01), 3, rules, rng, out);
    expect(out.filled).toBe(0);
    secondPriceAuction(Float64Array.of(0.3, 0.04), 2, rules, rng, out);
    expect([out.winners[0], out.prices[0]]).toEqual([0, 0.05]);
    secondPriceAuction(Float64Array.of(0.3, 0.06), 2, { ...rules, reserve: 0.1 }, rng, out);
    expect(out.prices[0]).toBe(0.1);
    firstPriceAuction(Float64Array.of(0.04), 1, rules, rng, out);
    expect(out.filled).toBe(0);
  });

  it('a lone bidder above the reserve pays the reserve, not its bid', () => {
    const out = auctionResult(3);
    for (const bid of [0.05, 0.2, 7, 20]) {
      secondPriceAuction(Float64Array.of(0, bid, 0), 3, rules, rng, out);
      expect([out.filled, out.winners[0], out.prices[0]]).toEqual([1, 1, 0.05]);
      gspAuction(Float64Array.of(bid), 1, rules, rng, out, new Int32Array(1), new Float64Array(1));
      expect([out.filled, out.prices[0]]).toEqual([1, 0.05]);
    }
  });

  it('bids are bounded to [0.01, 20]; 0 stays "no bid"', () => {
    expect([boundedBid(0, rules), boundedBid(-1, rules), boundedBid(0.001, rules), boundedBid(25, rules), boundedBid(3, rules)]).toEqual([0, 0, 0.01, 20, 3]);
  });

  it('GSP: slots go to the bids in order and each pays the next bid down (the last filled slot: the next bid or the reserve)', () => {
    const out = auctionResult(3), order = new Int32Array(8), keys = new Float64Array(8), bad: string[] = [];
    for (let k = 0; k < 10_000; k++) {
      const n = 1 + rng.int(8), bids = randomBids(n);
      gspAuction(bids, n, rules, rng, out, order, keys);
      const eligible = Array.from(bids).filter((b) => b >= rules.reserve).sort((a, b) => b - a);
      let ok = out.filled === Math.min(3, eligible.length) && new Set(Array.from(out.winners.subarray(0, out.filled))).size === out.filled;
      for (let s = 0; s < out.filled; s++) ok &&= bids[out.winners[s]!] === eligible[s] && out.prices[s] === (s + 1 < eligible.length ? eligible[s + 1] : rules.reserve);
      if (!ok) bad.push(`${Array.from(bids)} → ${Array.from(out.winners)} at ${Array.from(out.prices)}`);
    }
    expect(bad).toEqual([]);
    gspAuction(Float64Array.of(1, 3, 2, 0.5), 4, rules, rng, out, order, keys);
    expect([Array.from(out.winners), Array.from(out.prices)]).toEqual([[1, 2, 0], [2, 1, 0.5]]);
  });

  it('ties are broken by the seeded draw: uniform over the tied bidders, and the same for the same seed', () => {
    const out = auctionResult(1), wins = [0, 0, 0], r = createRng(3);
    for (let k = 0; k < 30_000; k++) { secondPriceAuction(Float64Array.of(1, 1, 1), 3, rules, r, out); wins[out.winners[0]!]!++; }
    for (const w of wins) expect(Math.abs(w / 30_000 - 1 / 3)).toBeLessThan(0.015);
    const sequence = (seed: number) => { const g = createRng(seed); return Array.from({ length: 50 }, () => { firstPriceAuction(Float64Array.of(2, 2, 2, 2), 4, rules, g, out); return out.winners[0]; }); };
    expect(sequence(5)).toEqual(sequence(5));
    expect(sequence(5)).not.toEqual(sequence(6));
  });

  it('first price: a truthful bidder keeps about zero surplus; shading below value keeps some', () => {
    const out = auctionResult(1), r = createRng(11);
    let truthful = 0, shaded = 0, wins = 0;
    for (let k = 0; k < 20_000; k++) {
      const v = 0.1 + 3 * r.next(), opp = Float64Array.from({ length: 4 }, () => 0.1 + 3 * r.next());
      for (const [s, add] of [[1, (x: number) => { truthful += x; wins++; }], [0.8, (x: number) => { shaded += x; }]] as const) {
        const bids = Float64Array.of(s * v, ...opp);
        firstPriceAuction(bids, 5, rules, r, out);
        if (out.filled === 1 && out.winners[0] === 0) add(v - out.prices[0]!);
      }
    }
    expect(wins).toBeGreaterThan(1000);
    expect(Math.abs(truthful) / wins).toBeLessThan(1e-12);
    expect(shaded).toBeGreaterThan(100);
  });

  it('second price: truthful bidding weakly beats every fixed shading against fixed opponents (same draws)', () => {
    const out = auctionResult(1), draws = 20_000, r = createRng(13);
    const values = Float64Array.from({ length: draws }, () => 0.05 + 4 * r.next());
    const opponents = Float64Array.from({ length: draws * 4 }, () => 0.05 + 4 * r.next() ** 2);
    const utility = (s: number) => {
      const g = createRng(99);
      let u = 0;
      for (let k = 0; k < draws; k++) {
        const bids = Float64Array.of(boundedBid(s * values[k]!, rules), ...opponents.subarray(k * 4, k * 4 + 4));
        secondPriceAuction(bids, 5, rules, g, out);
        if (out.filled === 1 && out.winners[0] === 0) u += values[k]! - out.prices[0]!;
      }
      return u;
    };
    const truthful = utility(1);
    expect(truthful).toBeGreaterThan(0);
    for (const s of [0.5, 0.7, 0.8, 0.9, 0.95, 1.05, 1.1, 1.2, 1.5, 2]) expect(truthful, `shading ${s}`).toBeGreaterThanOrEqual(utility(s));
  });

  it('more participants → higher auctioneer revenue (second price, first price and GSP)', () => {
    for (const name of ['second-price', 'first-price', 'gsp'] as const) {
      const run = mechanism(name, 8), out = auctionResult(3), r = createRng(17);
      const revenue = [2, 3, 4, 6, 8].map((n) => {
        let total = 0;
        for (let k = 0; k < 20_000; k++) {
          const bids = Float64Array.from({ length: n }, () => boundedBid(2 * r.next(), rules));
          run(bids, n, rules, r, out);
          for (let s = 0; s < out.filled; s++) total += out.prices[s]!;
        }
        return total;
      });
      for (let i = 1; i < revenue.length; i++) expect(revenue[i], `${name}: ${revenue.join(' < ')}`).toBeGreaterThan(revenue[i - 1]!);
    }
  });
});
