/**
 * Bidders by name: the five rule bidders, truthful, the two learners, and the `defended-` prefix.
 */
import { UsageError } from '../../errors.js';
import { adaptiveBidder } from './adaptive.js';
import { aggressiveBidder } from './aggressive.js';
import { brandBidder } from './brand.js';
import { conservativeBidder } from './conservative.js';
import { defendedBidder } from './defended.js';
import { linucbBidder } from './linucb.js';
import { retargetingBidder } from './retargeting.js';
import { shadingBidder } from './thompson-shading.js';
import { truthfulBidder } from './truthful.js';
import type { Bidder, BidderEnv } from './types.js';

export const BASE_BIDDERS = ['aggressive', 'conservative', 'retargeting', 'adaptive', 'brand', 'truthful', 'linucb', 'shading'] as const;
export type BaseBidder = (typeof BASE_BIDDERS)[number];

/** Validate a bidder name (`defended-` prefix allowed); throws a UsageError naming the choices. */
export function parseBidderName(name: string): { base: BaseBidder; defended: boolean } {
  const defended = name.startsWith('defended-');
  const base = defended ? name.slice('defended-'.length) : name;
  if (!(BASE_BIDDERS as readonly string[]).includes(base)) throw new UsageError(`--bidders: unknown bidder "${name}" (choose from ${BASE_BIDDERS.join(', ')}, each optionally prefixed defended-)`);
  return { base: base as BaseBidder, defended };
}

/** A fresh bidder. @example createBidder('defended-linucb', { rng, params: BIDDER_DEFAULTS }) */
export function createBidder(name: string, env: BidderEnv): Bidder {
  const { base, defended } = parseBidderName(name);
  const make: Record<BaseBidder, () => Bidder> = {
    aggressive: aggressiveBidder, conservative: conservativeBidder, retargeting: retargetingBidder, brand: brandBidder, truthful: truthfulBidder,
    adaptive: () => adaptiveBidder(env.params), linucb: () => linucbBidder(env), shading: () => shadingBidder(env),
  };
  const b = make[base]();
  return defended ? defendedBidder(b) : b;
}
