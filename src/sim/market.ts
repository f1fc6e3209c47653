/**
 * The closed-loop market (docs/simulator.md). Each step t is one pricing epoch: product appeal evolves (AR(1)
 * per class, independent between humans and agents), sessions arrive ~ Poisson(arrivals), each an agent
 * with probability α, and walk the shop at the posted prices. The platform observes events only (the
 * demand proxy q̂, item views, purchases and revenue per product); the ground truth — human-only proxy,
 * revenue by class, true classes — is recorded beside it.
 */
import { createRng, reseedableRng } from '../stats/rng.js';
import type { Behaviour } from './behaviour.js';
import type { SimCatalog } from './catalog.js';
import { hourShift, type MarketParams } from './params.js';
import type { SessionScorer } from './session-scorer.js';
import { walkSession, type SessionContext } from './session-walk.js';
import { mixSeed, poisson, STREAM } from './streams.js';

export interface MarketSetup {
  catalog: SimCatalog;
  params: MarketParams;
  behaviour: Behaviour;
  scorer: SessionScorer;
}

/** What only the oracle may read: the state of true human demand at step t. */
export interface MarketTruth {
  t: number;
  /** latent human appeal per product */
  humanAppeal: Float64Array;
  /** the daily cycle's shift of human log willingness to pay */
  humanShift: number;
}

/** One step's observations and ground truth. Arrays are owned by the market and overwritten next step. */
export interface StepOutcome {
  t: number;
  sessions: number;
  agentSessions: number;
  /** q̂: Σ category weights of events per product (what the platform sees) */
  proxy: Float64Array;
  /** q̃: the same with each session's events weighted by 1 − f(τ) */
  defendedProxy: Float64Array;
  /** ground truth: the proxy from human sessions only */
  humanProxy: Float64Array;
  views: Float64Array;
  purchases: Float64Array;
  revenue: Float64Array;
  revenueHuman: number;
  revenueAgent: number;
  purchasesHuman: number;
  purchasesAgent: number;
  /** mean f(τ) over the step's sessions: the platform's estimate of α */
  agentShareEstimate: number;
  /** f(τ) and the true class (1 = agent) of each session, first `sessions` entries */
  scores: Float64Array;
  isAgent: Uint8Array;
}

export interface Market {
  readonly n: number;
  readonly basePrices: Float64Array;
  truth(t: number): MarketTruth;
  step(t: number, prices: Float64Array): StepOutcome;
}

/**
 * A market for one seed. Steps must be taken in order 0, 1, 2, …
 * @example const m = createMarket(setup, 42); const out = m.step(0, prices)
 */
export function createMarket(setup: MarketSetup, seed: number): Market {
  const { catalog, params, behaviour } = setup;
  const n = catalog.basePrices.length;
  const maxEvents = Math.max(behaviour.human.maxEvents, behaviour.agent.maxEvents);
  const maxConsider = Math.max(params.human.consider, params.agent.consider, 1);
  const f64 = () => new Float64Array(n);
  const ctx: SessionContext = {
    params, behaviour, scorer: setup.scorer,
    basePrices: Float64Array.from(catalog.basePrices), prices: f64(),
    stock: catalog.inventory === null ? null : Float64Array.from(catalog.inventory),
    appealHuman: f64(), appealAgent: f64(), humanShift: 0,
    perm: Int32Array.from({ length: n }, (_, i) => i), candidate: new Int32Array(maxConsider), wtp: new Float64Array(maxConsider),
    multiplier: new Float64Array(maxConsider), choiceWeight: new Float64Array(maxConsider),
    trajectory: new Int32Array(maxEvents + 2), eventProduct: new Int32Array(maxEvents), eventWeight: new Float64Array(maxEvents),
    proxy: f64(), defendedProxy: f64(), humanProxy: f64(), views: f64(), purchases: f64(), revenue: f64(),
    totals: { revenueHuman: 0, revenueAgent: 0, purchasesHuman: 0, purchasesAgent: 0 },
  };
  const appealRng = createRng(mixSeed(seed, STREAM.appeal));
  const sh = params.human.appealSigma, sa = params.agent.appealSigma, rho = params.appealPersistence, keep = Math.sqrt(1 - rho * rho);
  for (let i = 0; i < n; i++) { ctx.appealHuman[i] = sh * appealRng.normal(); ctx.appealAgent[i] = sa * appealRng.normal(); }
  let appealAt = 0;
  let scores = new Float64Array(256), isAgent = new Uint8Array(256);
  const streamRng = reseedableRng();

  const truth = (t: number): MarketTruth => {
    if (t < appealAt) throw new Error(`market steps must move forward (asked for ${t} after ${appealAt})`);
    for (; appealAt < t; appealAt++) {
      for (let i = 0; i < n; i++) {
        ctx.appealHuman[i] = rho * ctx.appealHuman[i]! + sh * keep * appealRng.normal();
        ctx.appealAgent[i] = rho * ctx.appealAgent[i]! + sa * keep * appealRng.normal();
      }
    }
    ctx.humanShift = hourShift(params, t);
    return { t, humanAppeal: ctx.appealHuman, humanShift: ctx.humanShift };
  };

  const step = (t: number, prices: Float64Array): StepOutcome => {
    truth(t);
    ctx.prices.set(prices);
    for (const a of [ctx.proxy, ctx.defendedProxy, ctx.humanProxy, ctx.views, ctx.purchases, ctx.revenue]) a.fill(0);
    ctx.totals = { revenueHuman: 0, revenueAgent: 0, purchasesHuman: 0, purchasesAgent: 0 };
    streamRng.reseed(mixSeed(seed, STREAM.step, t));
    const sessions = poisson(streamRng, params.arrivals);
    if (scores.length < sessions) { scores = new Float64Array(sessions * 2); isAgent = new Uint8Array(sessions * 2); }
    let agents = 0, fSum = 0;
    for (let s = 0; s < sessions; s++) {
      const rng = streamRng; // this session's own stream: createRng(mixSeed(seed, STREAM.session, t, s)), reset in place
      rng.reseed(mixSeed(seed, STREAM.session, t, s));
      const agent = rng.next() < params.alpha;
      const f = walkSession(ctx, rng, agent);
      scores[s] = f;
      isAgent[s] = agent ? 1 : 0;
      agents += agent ? 1 : 0;
      fSum += f;
    }
    return {
      t, sessions, agentSessions: agents,
      proxy: ctx.proxy, defendedProxy: ctx.defendedProxy, humanProxy: ctx.humanProxy,
      views: ctx.views, purchases: ctx.purchases, revenue: ctx.revenue,
      ...ctx.totals,
      agentShareEstimate: sessions > 0 ? fSum / sessions : 0,
      scores, isAgent,
    };
  };
  return { n, basePrices: ctx.basePrices, truth, step };
}
