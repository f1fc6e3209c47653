/**
 * What the robust policies know about contamination, measured on the simulator's own model: run the
 * market at base prices with only humans, then with only agents, and record per session the demand-proxy
 * mass each class leaves and how many purchase opportunities (checkouts with a product in the cart) a
 * unit of that mass carries. A fixed calibration seed keeps it identical for every run of a setup.
 */
import { createMarket, type MarketSetup } from './market.js';
import { agentBuyProbability, humanBuyProbability } from './response-curves.js';

export interface ContaminationModel {
  /** proxy mass per human / agent session at base prices */
  humanMass: number;
  agentMass: number;
  /** purchase opportunities per unit of proxy mass, per class */
  humanOpportunity: number;
  agentOpportunity: number;
}

const CALIBRATION_SEED = 20_240_601;

/**
 * Calibrate on `steps` steps per class (default 20).
 * @example const model = calibrateContamination(setup)
 */
export function calibrateContamination(setup: MarketSetup, steps = 20): ContaminationModel {
  const n = setup.catalog.basePrices.length;
  const prices = Float64Array.from(setup.catalog.basePrices);
  const measure = (alpha: number) => {
    const market = createMarket({ ...setup, params: { ...setup.params, alpha, hourAmplitude: 0 }, catalog: { ...setup.catalog, inventory: null } }, CALIBRATION_SEED);
    let mass = 0, purchases = 0, sessions = 0;
    for (let t = 0; t < steps; t++) {
      const out = market.step(t, prices);
      for (let i = 0; i < n; i++) mass += out.proxy[i]!;
      purchases += out.purchasesHuman + out.purchasesAgent;
      sessions += out.sessions;
    }
    return { mass: mass / Math.max(1, sessions), purchasesPerSession: purchases / Math.max(1, sessions) };
  };
  const h = measure(0), a = measure(1);
  const buyH = humanBuyProbability(setup.params, 1, 0), buyA = agentBuyProbability(setup.params.agent, 1);
  return {
    humanMass: h.mass,
    agentMass: a.mass,
    humanOpportunity: h.mass > 0 ? h.purchasesPerSession / buyH / h.mass : 0,
    agentOpportunity: a.mass > 0 && buyA > 0 ? a.purchasesPerSession / buyA / a.mass : 0,
  };
}
