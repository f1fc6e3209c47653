/**
 * Market parameters of `phantom simulate` (docs/simulator.md) and their defaults, defined once. Prices are
 * expressed as multipliers of the base price p0 wherever the model needs a scale-free number.
 */

/** Per-class economics of a session. */
export interface ClassParams {
  /** median willingness to pay as a multiple of p0 (humans 1.05, agents 0.9: agents shop for the minimum) */
  wtpMedian: number;
  /** log-normal sigma of the willingness to pay */
  wtpSigma: number;
  /** products a session considers (its consideration set, drawn uniformly from the catalog) */
  consider: number;
  /** standard deviation of each product's latent appeal to this class (AR(1) in time, independent per class) */
  appealSigma: number;
  /** β in the choice weight exp(appeal + β·(v − p)/p0): price sensitivity of product choice */
  choiceBeta: number;
  /** utility u0 of leaving: at each new product choice the outside option weighs K·exp(−u0) */
  leaveUtility: number;
}

export interface MarketParams {
  /** mean sessions per step (Poisson) */
  arrivals: number;
  /** contamination ratio: each session is an agent with this probability */
  alpha: number;
  /** κ in the human purchase probability σ(κ·(v − p)/p0) */
  purchaseKappa: number;
  /** AR(1) persistence of the appeal from one step to the next */
  appealPersistence: number;
  /** γ: how much a product's human appeal shifts its log willingness to pay */
  appealLoading: number;
  /** amplitude of the daily cycle in human log willingness to pay */
  hourAmplitude: number;
  /** steps per simulated day (24: one step is an hour) */
  stepsPerDay: number;
  human: ClassParams;
  agent: ClassParams;
}

export const MARKET_DEFAULTS: Readonly<MarketParams> = Object.freeze({
  arrivals: 100,
  alpha: 0,
  purchaseKappa: 12,
  appealPersistence: 0.95,
  appealLoading: 0.6,
  hourAmplitude: 0.05,
  stepsPerDay: 24,
  human: Object.freeze({ wtpMedian: 1.05, wtpSigma: 0.2, consider: 6, appealSigma: 0.6, choiceBeta: 1, leaveUtility: 1.5 }),
  agent: Object.freeze({ wtpMedian: 0.9, wtpSigma: 0.1, consider: 20, appealSigma: 0.6, choiceBeta: 4, leaveUtility: 3 }),
});

/** Defaults overridden by `partial` (class blocks merged field by field). */
export function resolveMarketParams(partial: Partial<Omit<MarketParams, 'human' | 'agent'>> & { human?: Partial<ClassParams>; agent?: Partial<ClassParams> } = {}): MarketParams {
  return {
    ...MARKET_DEFAULTS,
    ...partial,
    human: { ...MARKET_DEFAULTS.human, ...partial.human },
    agent: { ...MARKET_DEFAULTS.agent, ...partial.agent },
  };
}

/** Human log-WTP shift of the daily cycle at step t. */
export function hourShift(p: MarketParams, t: number): number {
  return p.hourAmplitude * Math.sin((2 * Math.PI * (t % p.stepsPerDay)) / p.stepsPerDay);
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
