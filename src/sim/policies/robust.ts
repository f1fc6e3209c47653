/**
 * `robust-<base>`: max–min over contamination levels (docs/simulator.md). K copies of the base policy each see
 * the proxy corrected for a different agent share α_k in [α̂ − r, α̂ + r] (α̂ = mean f(τ) of the last
 * step; correction: remove α_k·S·m_A/N of agent mass from every product, S sessions, m_A the agents'
 * proxy mass per session). Each copy's price vector is a candidate; every candidate is scored against
 * every level α_j with the simulator's own model — expected revenue per product
 * p0·x·[h_ij·o_H·e^{−β_H(x − y)}·P_H(buy | x) + a_j·o_A·e^{−β_A(x − y)}·P_A(buy | x)], y the last posted multiplier,
 * h_ij the human mass left at level j — and the candidate with the best worst case is posted.
 */
import type { ContaminationModel } from '../contamination-model.js';
import { agentBuyProbability, humanBuyProbability, tabulate } from '../response-curves.js';
import type { PolicyEnv, PolicyParams, PricingPolicy, StepView } from './types.js';

/** Contamination levels: K points spread over [α̂ − r, α̂ + r], clipped to [0, 1]. */
export function contaminationLevels(estimate: number, radius: number, points: number): number[] {
  if (points <= 1) return [Math.min(1, Math.max(0, estimate))];
  return Array.from({ length: points }, (_, k) => Math.min(1, Math.max(0, estimate + radius * ((2 * k) / (points - 1) - 1))));
}

/** @example const policy = robust(env, params, model, (e) => surgePolicy(e, params)) */
export function robust(env: PolicyEnv, params: PolicyParams, model: ContaminationModel, makeBase: (env: PolicyEnv) => PricingPolicy): PricingPolicy {
  const n = env.basePrices.length, k = Math.max(1, params.robustPoints), p = env.market;
  const copies = Array.from({ length: k }, () => makeBase({ ...env, rng: env.rng.fork() }));
  const candidates = Array.from({ length: k }, () => new Float64Array(n));
  const lastProxy = new Float64Array(n), lastMultiplier = new Float64Array(n).fill(1);
  let levels = contaminationLevels(0, params.robustRadius, k), sessions = 0, seen = false;
  const corrected = Array.from({ length: k }, () => new Float64Array(n));
  const buyHuman = tabulate((x) => humanBuyProbability(p, x, 0), env.floor, env.cap), buyAgent = tabulate((x) => agentBuyProbability(p.agent, x), env.floor, env.cap);
  const revenueAt = (prices: Float64Array, alpha: number): number => {
    const agentMass = (alpha * sessions * model.agentMass) / n;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = prices[i]! / env.basePrices[i]!;
      const humanMass = Math.max(0, lastProxy[i]! - agentMass);
      const dx = x - lastMultiplier[i]!;
      const human = humanMass * model.humanOpportunity * Math.exp(-p.human.choiceBeta * dx) * buyHuman(x);
      const agent = agentMass * model.agentOpportunity * Math.exp(-p.agent.choiceBeta * dx) * buyAgent(x);
      total += env.basePrices[i]! * x * (human + agent);
    }
    return total;
  };
  return {
    name: `robust-${copies[0]!.name}`,
    decide(t, truth, out) {
      copies.forEach((c, j) => c.decide(t, truth, candidates[j]!));
      let best = 0;
      if (seen && k > 1) {
        let bestWorst = -Infinity;
        for (let c = 0; c < k; c++) {
          const worst = Math.min(...levels.map((a) => revenueAt(candidates[c]!, a)));
          if (worst > bestWorst) { bestWorst = worst; best = c; }
        }
      }
      out.set(candidates[best]!);
    },
    observe(view: StepView) {
      levels = contaminationLevels(view.agentShareEstimate, params.robustRadius, k);
      sessions = view.sessions;
      seen = true;
      for (let i = 0; i < n; i++) { lastProxy[i] = view.proxy[i]!; lastMultiplier[i] = view.prices[i]! / env.basePrices[i]!; }
      copies.forEach((c, j) => {
        const remove = (levels[j]! * sessions * model.agentMass) / n;
        const q = corrected[j]!;
        for (let i = 0; i < n; i++) q[i] = Math.max(0, view.proxy[i]! - remove);
        c.observe({ ...view, proxy: q });
      });
    },
  };
}
