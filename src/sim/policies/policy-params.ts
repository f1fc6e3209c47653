/**
 * Default tunables of the built-in policies (docs/simulator.md), defined once.
 */
import { UsageError } from '../../errors.js';
import type { PolicyParams, Threshold } from './types.js';

/** Nine arms evenly spaced in [0.8, 1.2]. */
export const DEFAULT_ARMS: readonly number[] = Array.from({ length: 9 }, (_, k) => Number((0.8 + k * 0.05).toFixed(2)));

export const POLICY_DEFAULTS: Readonly<PolicyParams> = Object.freeze<PolicyParams>({
  staticMultiplier: 1,
  surgeUp: 1.2,
  surgeDown: 0.9,
  surgeHigh: { kind: 'quantile', value: 0.8 },
  surgeLow: { kind: 'quantile', value: 0.2 },
  smoothing: 0.3,
  elasticityWindow: 24,
  elasticityStep: 0.03,
  elasticityDither: 0.03,
  ucbArms: [...DEFAULT_ARMS],
  ucbAlpha: 1,
  ucbRidge: 1,
  robustRadius: 0.1,
  robustPoints: 3,
});

/**
 * Parse a surge threshold: `q0.8` is the 0.8 quantile of q̂ across products, a plain number is absolute.
 * @example parseThreshold('q0.8', '--surge-high') // { kind: 'quantile', value: 0.8 }
 */
export function parseThreshold(text: string, flag: string): Threshold {
  const t = text.trim();
  if (/^q/i.test(t)) {
    const v = Number(t.slice(1));
    if (!(t.length > 1 && v >= 0 && v <= 1)) throw new UsageError(`${flag}: a quantile threshold is q followed by a number in [0, 1], got "${text}"`);
    return { kind: 'quantile', value: v };
  }
  const v = Number(t);
  if (t === '' || !Number.isFinite(v) || v < 0) throw new UsageError(`${flag}: expected qP (a quantile) or a non-negative proxy value, got "${text}"`);
  return { kind: 'absolute', value: v };
}

/** Defaults overridden by `partial`. */
export function resolvePolicyParams(partial: Partial<PolicyParams> = {}): PolicyParams {
  return { ...POLICY_DEFAULTS, ...partial, ucbArms: [...(partial.ucbArms ?? POLICY_DEFAULTS.ucbArms)] };
}
