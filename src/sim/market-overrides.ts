/**
 * `--market FILE`: overrides of the market parameters (sim/params.ts), validated with zod. Apart from
 * params.ts so that the simulator's worker threads, which only read resolved parameters, load no schema
 * library (docs/perf/pool.md).
 */
import { z } from 'zod';
import { UsageError } from '../errors.js';

const positive = z.number().positive();
const classOverrides = z.object({
  wtpMedian: positive, wtpSigma: z.number().nonnegative(), consider: z.number().int().min(1),
  appealSigma: z.number().nonnegative(), choiceBeta: z.number().nonnegative(), leaveUtility: z.number(),
}).partial().strict();
const marketOverrides = z.object({
  arrivals: z.number().nonnegative(), purchaseKappa: positive, appealPersistence: z.number().min(0).max(1),
  appealLoading: z.number(), hourAmplitude: z.number().nonnegative(), stepsPerDay: z.number().int().min(1),
  human: classOverrides, agent: classOverrides,
}).partial().strict();

export type MarketOverrides = z.infer<typeof marketOverrides>;

/**
 * Validate market overrides (`--market FILE`; α comes from the grid), every problem listed with its path.
 * @example parseMarketOverrides({ agent: { appealSigma: 1.5 } }, 'market.json')
 */
export function parseMarketOverrides(value: unknown, source: string): MarketOverrides {
  const r = marketOverrides.safeParse(value);
  if (!r.success) throw new UsageError(`--market ${source}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}
