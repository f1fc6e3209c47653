/**
 * The rule bidders' common form: bid = value × multiplier of the stage (0: not targeted).
 */
import type { Bidder } from './types.js';

/** A fixed stage-multiplier bidder. @example ruleBidder('aggressive', [1.3, 1.3, 1.3, 1.3, 1.3, 1.3]) */
export function ruleBidder(name: string, multipliers: readonly number[]): Bidder {
  const m = Float64Array.from(multipliers);
  return { name, bid: (v) => v.value * m[v.stage]!, observe() {} };
}
