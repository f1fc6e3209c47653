/**
 * Per-run metrics (docs/simulator.md), accumulated step by step: revenue and conversions by class, human revenue
 * per human session, mean price,
 * COI = mean(p − p_min), proxy error (relative L1 distance of q̂, and of q̃, from the human-only proxy),
 * price volatility (std of log price changes), a UX index (mean absolute relative price change plus the
 * share of upward moves) and the detection AUC of f(τ) against the true class.
 */
import { rocAuc } from '../stats/roc.js';
import type { StepOutcome } from './market.js';

export interface RunMetrics {
  sessions: number;
  agentSessions: number;
  revenue: number;
  revenueHuman: number;
  revenueAgent: number;
  /** human revenue per human session: the pricing cost of contamination without the displacement of humans */
  humanRevenuePerSession: number;
  conversions: number;
  conversionsHuman: number;
  conversionsAgent: number;
  meanPrice: number;
  meanMultiplier: number;
  coi: number;
  proxyError: number;
  defendedProxyError: number;
  volatility: number;
  ux: number;
  /** NaN when a run has only one class */
  detectionAuc: number;
}

export interface RunAccumulator {
  add(prices: Float64Array, out: StepOutcome): void;
  finish(): RunMetrics;
}

function relativeL1(a: Float64Array, truth: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += Math.abs(a[i]! - truth[i]!); den += truth[i]!; }
  return den > 0 ? num / den : NaN;
}

/** @example const acc = runAccumulator(basePrices, 0.7); acc.add(prices, outcome); acc.finish() */
export function runAccumulator(basePrices: Float64Array, floor: number): RunAccumulator {
  const n = basePrices.length;
  const prev = new Float64Array(n);
  const m: RunMetrics = { sessions: 0, agentSessions: 0, revenue: 0, revenueHuman: 0, revenueAgent: 0, humanRevenuePerSession: 0, conversions: 0, conversionsHuman: 0, conversionsAgent: 0, meanPrice: 0, meanMultiplier: 0, coi: 0, proxyError: 0, defendedProxyError: 0, volatility: 0, ux: 0, detectionAuc: NaN };
  let steps = 0, errSteps = 0, moves = 0, absChange = 0, up = 0, logSum = 0, logSq = 0;
  let scores = new Float64Array(1024), labels = new Uint8Array(1024), scored = 0;
  return {
    add(prices, out) {
      for (let i = 0; i < n; i++) {
        const p = prices[i]!;
        m.meanPrice += p;
        m.meanMultiplier += p / basePrices[i]!;
        m.coi += p - floor * basePrices[i]!;
        if (steps > 0) {
          const r = Math.log(p / prev[i]!);
          logSum += r; logSq += r * r;
          absChange += Math.abs(p - prev[i]!) / prev[i]!;
          up += p > prev[i]! ? 1 : 0;
          moves++;
        }
      }
      prev.set(prices);
      steps++;
      m.sessions += out.sessions;
      m.agentSessions += out.agentSessions;
      m.revenueHuman += out.revenueHuman;
      m.revenueAgent += out.revenueAgent;
      m.conversionsHuman += out.purchasesHuman;
      m.conversionsAgent += out.purchasesAgent;
      const e = relativeL1(out.proxy, out.humanProxy), ed = relativeL1(out.defendedProxy, out.humanProxy);
      if (Number.isFinite(e)) { m.proxyError += e; m.defendedProxyError += ed; errSteps++; }
      if (scored + out.sessions > scores.length) {
        const size = Math.max(scores.length * 2, scored + out.sessions);
        const s2 = new Float64Array(size), l2 = new Uint8Array(size);
        s2.set(scores.subarray(0, scored)); l2.set(labels.subarray(0, scored));
        scores = s2; labels = l2;
      }
      scores.set(out.scores.subarray(0, out.sessions), scored);
      labels.set(out.isAgent.subarray(0, out.sessions), scored);
      scored += out.sessions;
    },
    finish() {
      const cells = Math.max(1, steps * n);
      m.revenue = m.revenueHuman + m.revenueAgent;
      m.humanRevenuePerSession = m.sessions > m.agentSessions ? m.revenueHuman / (m.sessions - m.agentSessions) : NaN;
      m.conversions = m.conversionsHuman + m.conversionsAgent;
      m.meanPrice /= cells; m.meanMultiplier /= cells; m.coi /= cells;
      m.proxyError = errSteps > 0 ? m.proxyError / errSteps : NaN;
      m.defendedProxyError = errSteps > 0 ? m.defendedProxyError / errSteps : NaN;
      m.volatility = moves > 0 ? Math.sqrt(Math.max(0, logSq / moves - (logSum / moves) ** 2)) : 0;
      m.ux = moves > 0 ? absChange / moves + up / moves : 0;
      const agents = m.agentSessions;
      m.detectionAuc = agents > 0 && agents < scored ? rocAuc(labels.subarray(0, scored), scores.subarray(0, scored)) : NaN;
      return m;
    },
  };
}
