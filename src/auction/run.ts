/**
 * One seeded run of the ad-auction market (docs/auction.md, "Market"): a stream of opportunities, each a
 * visit by a customer (or, with probability α, an automated agent), auctioned among the bidders. The loop
 * works on typed arrays and objects made once per run: no allocation per auction.
 */
import { createRng, type Rng } from '../stats/rng.js';
import type { Profile } from '../generate/profile.js';
import { binormalScorer } from './agent-scorer.js';
import type { BidFeedback, BidView, Bidder } from './bidders/types.js';
import { createBidder } from './bidders/registry.js';
import { drawPlacements, type Placements } from './ctr-function.js';
import { createPopulation, drawCustomer, expose, fatigue, visit } from './customers.js';
import { kernelPoolScorer } from './kernel-scorer.js';
import { auctionResult, boundedBid, mechanism, type MechanismName } from './mechanisms/index.js';
import { createPacer } from './pacing.js';
import type { MarketParams } from './params.js';
import { bidderMetrics, newAccumulators, type BidderMetrics, type MarketMetrics } from './run-metrics.js';
import { CONSIDERATION, INTEREST, STAGE_CONVERSION, STAGE_CTR, STAGE_VALUE, STAGES } from './stages.js';

/** Click-probability tables of a run: (placement × 168 hours of the week) → base CTR before stage effects. */
export interface CtrTables {
  placements: Placements;
  /** the market's true base CTR */
  truth: Float64Array;
  /** what bidders predict (the CTR model, or the truth when none is given) */
  predicted: Float64Array;
}

/** Turns placements into CTR tables (the known function for truth; a model or the truth for predictions). */
export type CtrTableBuilder = (placements: Placements) => CtrTables;

export interface RunSpec {
  bidders: string[];
  mechanism: MechanismName;
  alpha: number;
  seed: number;
  auctions: number;
  params: MarketParams;
  ctr: CtrTableBuilder;
  /** behaviour profiles for the kernel agent scorer; absent or null: the binormal scorer of params.scorer */
  scorerProfiles?: { human: Profile; agent: Profile } | null;
}

export interface RunTraces {
  /** per bucket × bidder (row-major): wins, spend, revenue */
  wins: Float64Array;
  spend: Float64Array;
  revenue: Float64Array;
  buckets: number;
}

export interface RunResult {
  bidders: BidderMetrics[];
  market: MarketMetrics;
  traces: RunTraces;
  /** the bidder objects after the run (learners expose their last choice) */
  agents: Bidder[];
}

/**
 * Run the market.
 * @example const r = runMarket({ bidders: ['aggressive', 'truthful'], mechanism: 'second-price', alpha: 0, seed: 1, auctions: 10_000, params: resolveMarketParams(), ctr: knownCtrTables })
 */
export function runMarket(spec: RunSpec): RunResult {
  const p = spec.params, rules = p.rules, nb = spec.bidders.length, T = spec.auctions;
  const root = createRng(spec.seed);
  // independent streams: the market's draws do not shift when a bidder draws more or less
  const marketRng = root.fork(), auctionRng = root.fork(), scoreRng = root.fork(), pacingRng = root.fork(), setupRng = root.fork();
  const bidderRngs: Rng[] = spec.bidders.map(() => root.fork());
  const kernelRng = root.fork();
  const pop = createPopulation(p.customers, nb, setupRng);
  const tables = spec.ctr(drawPlacements(p.placements, setupRng));
  const nPlacements = tables.placements.count;
  const bidders = spec.bidders.map((name, b) => createBidder(name, { rng: bidderRngs[b]!, params: p.bidders }));
  const category = Uint8Array.from({ length: nb }, (_, b) => b % p.customers.categories);
  const budgets = new Float64Array(nb).fill(p.budgetPerAuction * T);
  const pacer = createPacer(p.pacing, budgets, T, p.pacingParams);
  const scorer = spec.scorerProfiles ? kernelPoolScorer(spec.scorerProfiles, kernelRng) : binormalScorer(p.scorer), scored = spec.bidders.some((n) => n.startsWith('defended-'));
  const run = mechanism(spec.mechanism, nb);
  const out = auctionResult(Math.max(1, rules.slots));
  const singleSlot = spec.mechanism !== 'gsp', firstPrice = spec.mechanism === 'first-price';
  const acc = newAccumulators(nb);
  const accAuctions = acc.auctions, accBids = acc.bids, accWins = acc.wins, accImpressions = acc.impressions, accSpend = acc.spend, accPriceOverBid = acc.priceOverBid, accRegret = acc.regret;
  const buckets = Math.max(1, Math.min(p.traceBuckets, T));
  const traces: RunTraces = { wins: new Float64Array(buckets * nb), spend: new Float64Array(buckets * nb), revenue: new Float64Array(buckets * nb), buckets };
  const bids = new Float64Array(nb), values = new Float64Array(nb), trueCtr = new Float64Array(nb), spent = new Float64Array(nb), stageCount = new Float64Array(STAGES.length);
  const view: BidView = { t: 0, hour: 0, weekday: 0, stage: 0, pCtr: 0, value: 0, pAgent: 0 };
  const fb: BidFeedback = { bid: 0, won: false, price: 0, exposed: false, clicked: false, revenue: 0, value: 0 };
  const wonSlot = new Int32Array(nb), paid = new Float64Array(nb), exposedBy = new Uint8Array(nb), clickedBy = new Uint8Array(nb), revenueBy = new Float64Array(nb);
  let unsold = 0, agentAuctions = 0, auctioneerRevenue = 0, welfare = 0;
  const perDay = p.customers.opportunitiesPerDay;

  for (let t = 0; t < T; t++) {
    const day = t / perDay, hour = Math.floor((day % 1) * 24), weekday = Math.floor(day) % 7;
    const isAgent = marketRng.next() < spec.alpha;
    let customer = -1, stage: number, propensity: number, prefCategory: number;
    if (isAgent) {
      agentAuctions++;
      stage = marketRng.next() < p.agentConsiderationShare ? CONSIDERATION : INTEREST;
      propensity = 0.2; // a new visitor: the Beta(2, 8) prior mean
      prefCategory = marketRng.int(p.customers.categories);
    } else {
      customer = drawCustomer(pop, marketRng);
      stage = visit(pop, customer, day);
      stageCount[stage]!++;
      propensity = pop.propensity[customer]!;
      prefCategory = pop.category[customer]!;
      if (pop.cart[customer]! > 0 && marketRng.next() < p.organicRate * propensity) { pop.purchases[customer]!++; pop.cart[customer] = 0; }
    }
    const cell = marketRng.int(nPlacements) * 168 + weekday * 24 + hour;
    const baseTrue = tables.truth[cell]!, basePred = tables.predicted[cell]!;
    const convP = Math.min(1, propensity * STAGE_CONVERSION[stage]!), convValue = p.conversionValue * STAGE_VALUE[stage]!;
    view.t = t; view.hour = hour; view.weekday = weekday; view.stage = stage;
    view.pAgent = scored ? scorer.score(isAgent, scoreRng) : 0;
    for (let b = 0; b < nb; b++) {
      const adjust = STAGE_CTR[stage]! * (customer >= 0 ? fatigue(pop, customer, b) : 1) * (category[b] === prefCategory ? p.categoryMatch : 1);
      const pCtr = Math.min(0.95, basePred * adjust);
      trueCtr[b] = isAgent ? p.agentClickRate : Math.min(0.95, baseTrue * adjust);
      values[b] = pCtr * convP * convValue;
      accAuctions[b]!++;
      const left = budgets[b]! - spent[b]!;
      const f = left >= rules.minBid ? pacer.factor(b, pacingRng) : 0;
      if (f === 0) { bids[b] = 0; continue; }
      view.pCtr = pCtr; view.value = values[b]!;
      bids[b] = boundedBid(Math.min(bidders[b]!.bid(view) * f, left), rules);
    }
    run(bids, nb, rules, auctionRng, out);
    if (out.filled === 0) unsold++;
    if (singleSlot) {
      // hindsight regret: against the others' bids, the best bid wins iff value beats the price it would pay
      let top = -1, top2 = -1;
      for (let b = 0; b < nb; b++) { const x = bids[b]! >= rules.reserve ? bids[b]! : -1; if (x > top) { top2 = top; top = x; } else if (x > top2) top2 = x; }
      for (let b = 0; b < nb; b++) {
        const other = bids[b] === top ? top2 : top;
        const price = other < 0 ? rules.reserve : firstPrice ? Math.max(other, rules.reserve) : Math.max(other, rules.reserve) + rules.increment;
        const best = Math.max(0, values[b]! - price), had = out.winners[0] === b && out.filled === 1 ? values[b]! - out.prices[0]! : 0;
        accRegret[b]! += best - had;
      }
    }
    wonSlot.fill(-1);
    for (let s = 0; s < out.filled; s++) wonSlot[out.winners[s]!] = s;
    const bucket = Math.floor((t * buckets) / T);
    for (let b = 0; b < nb; b++) {
      paid[b] = 0; exposedBy[b] = 0; clickedBy[b] = 0; revenueBy[b] = 0;
      const s = wonSlot[b]!;
      if (s < 0) continue;
      const exposed = singleSlot || auctionRng.next() < rules.exposure[Math.min(s, rules.exposure.length - 1)]!; // slots past the list keep its last value
      if (!exposed) continue;
      exposedBy[b] = 1;
      const price = out.prices[s]!;
      paid[b] = price; spent[b]! += price; auctioneerRevenue += price;
      accImpressions[b]!++; accSpend[b]! += price; accPriceOverBid[b]! += price / bids[b]!;
      traces.spend[bucket * nb + b]! += price;
      if (isAgent) { acc.wastedSpend[b]! += price; acc.agentImpressions[b]!++; }
      else welfare += trueCtr[b]! * convP * convValue;
      const clicked = marketRng.next() < trueCtr[b]!;
      if (customer >= 0) expose(pop, customer, b, clicked);
      if (!clicked) continue;
      clickedBy[b] = 1; acc.clicks[b]!++;
      if (isAgent) continue;
      if (marketRng.next() < convP) {
        revenueBy[b] = convValue; acc.conversions[b]!++; acc.revenue[b]! += convValue; traces.revenue[bucket * nb + b]! += convValue;
        if (pop.purchases[customer]! === 0) acc.acquired[b]!++;
        pop.purchases[customer]!++; pop.cart[customer] = 0;
      } else if (marketRng.next() < p.cartShare) {
        pop.cart[customer]! += p.cartMin + (p.cartMax - p.cartMin) * marketRng.next();
      }
    }
    for (let b = 0; b < nb; b++) {
      if (bids[b]! <= 0) continue;
      accBids[b]!++;
      const won = wonSlot[b]! >= 0;
      if (won) { accWins[b]!++; traces.wins[bucket * nb + b]!++; }
      fb.bid = bids[b]!; fb.won = won; fb.price = paid[b]!; fb.exposed = exposedBy[b] === 1; fb.clicked = clickedBy[b] === 1; fb.revenue = revenueBy[b]!; fb.value = values[b]!;
      bidders[b]!.observe(fb);
    }
    pacer.tick(t, spent);
  }
  const metrics = bidderMetrics(spec.bidders, acc, budgets, T, p.cpaTarget, singleSlot);
  const humans = T - agentAuctions;
  let wasted = 0, maxShare = 0;
  for (const m of metrics) { wasted += m.wastedSpend; maxShare = Math.max(maxShare, m.winShare); }
  return {
    bidders: metrics,
    market: {
      auctions: T, agentAuctions, unsold, auctioneerRevenue, welfare, surplus: welfare - auctioneerRevenue, wastedSpend: wasted, maxWinShare: maxShare,
      stageMix: Array.from(stageCount, (c) => (humans > 0 ? c / humans : NaN)),
    },
    traces,
    agents: bidders,
  };
}
