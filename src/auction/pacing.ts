/**
 * Budget pacing per advertiser (docs/auction.md, "Budgets"): none (bid until the budget is spent),
 * throttling (take part with a probability adjusted each window towards even spend) and PID (a bid
 * multiplier in (0, 1] steered by a PID controller on the spend-rate error). State in typed arrays.
 */
import type { Rng } from '../stats/rng.js';

export const PACINGS = ['none', 'throttling', 'pid'] as const;
export type PacingName = (typeof PACINGS)[number];

export interface PacingParams {
  /** auctions per control window */
  window: number;
  /** PID gains on the relative spend error (target − actual) / target of the last window */
  kp: number;
  ki: number;
  kd: number;
}

export const PACING_DEFAULTS: Readonly<PacingParams> = Object.freeze({ window: 1000, kp: 0.3, ki: 0.05, kd: 0.1 });

export interface Pacer {
  /** bid multiplier (0: sit this auction out) for advertiser a */
  factor(a: number, rng: Rng): number;
  /** called once per auction after payments; `t` is the auction index */
  tick(t: number, spent: Float64Array): void;
}

/**
 * A pacer for `n` advertisers with `budgets`, over `auctions` auctions.
 * @example const pacer = createPacer('pid', budgets, 1e6, PACING_DEFAULTS)
 */
export function createPacer(name: PacingName, budgets: Float64Array, auctions: number, p: PacingParams): Pacer {
  const n = budgets.length;
  const level = new Float64Array(n).fill(1), integral = new Float64Array(n), lastErr = new Float64Array(n), lastSpent = new Float64Array(n);
  const window = Math.max(1, p.window);
  return {
    factor(a, rng) {
      if (name === 'none') return 1;
      if (name === 'throttling') return rng.next() < level[a]! ? 1 : 0;
      return level[a]!;
    },
    tick(t, spent) {
      if (name === 'none' || (t + 1) % window !== 0) return;
      for (let a = 0; a < n; a++) {
        const target = (budgets[a]! * window) / auctions;
        const actual = spent[a]! - lastSpent[a]!;
        lastSpent[a] = spent[a]!;
        const err = target > 0 ? (target - actual) / target : 0;
        if (name === 'throttling') level[a] = Math.min(1, Math.max(0.02, level[a]! * (err > 0 ? 1.1 : 0.9)));
        else {
          integral[a] = Math.max(-5, Math.min(5, integral[a]! + err));
          const u = p.kp * err + p.ki * integral[a]! + p.kd * (err - lastErr[a]!);
          level[a] = Math.min(1, Math.max(0.02, level[a]! * Math.exp(u)));
          lastErr[a] = err;
        }
      }
    },
  };
}
