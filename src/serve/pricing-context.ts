/**
 * The LinUCB context of one price request, x ∈ R⁶, the serving counterpart of the simulator's
 * [1, demand proxy, conversion, hour sin, hour cos, agent share]:
 * [1, agent probability (0.5 when unknown), activity = min(1, ln(1 + events) / ln 101),
 *  cart intent (1 when the session added to cart), sin and cos of the UTC hour of day].
 * Bounded entries, so no arm's exploration bonus is dominated by one unscaled feature.
 */
import type { SessionSignals } from './scoring.js';

export const CONTEXT_DIMENSION = 6;

/**
 * Build the context (written into `out`).
 * @example pricingContext(sessionSignals(live, scorers, null), Date.now())
 */
export function pricingContext(signals: SessionSignals | null, nowMs: number, out = new Float64Array(CONTEXT_DIMENSION)): Float64Array {
  const p = signals?.agentProbability ?? 0.5;
  const events = signals?.events ?? 0;
  const cart = signals?.cartAdds ?? 0;
  const angle = (2 * Math.PI * ((nowMs / 3_600_000) % 24)) / 24;
  out[0] = 1;
  out[1] = p;
  out[2] = Math.min(1, Math.log1p(events) / Math.log(101));
  out[3] = cart > 0 ? 1 : 0;
  out[4] = Math.sin(angle);
  out[5] = Math.cos(angle);
  return out;
}
