/**
 * Behaviour profiles for `phantom generate` (docs/generate.md): a transition kernel over §1.2 events with
 * `<start>`/`<end>`, log-normal inter-event times, product choice, hover dwell, purchase propensity,
 * user-agent mix and store modes. Built-ins live in fixtures/profiles/*.json.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { END, START } from '../events/vocabulary.js';

/** The boundary states, defined once in events/vocabulary.ts. */
export { END, START };

const share = z.number().min(0).max(1);
const weights = z.record(z.string(), z.number().nonnegative());

export const profileSchema = z.object({
  name: z.string(),
  class: z.enum(['human', 'agent']),
  description: z.string().optional(),
  kernel: z.record(z.string(), weights),
  gapSeconds: z.object({ median: z.number().positive(), sigma: z.number().nonnegative() }),
  products: z.object({ meanDistinct: z.number().min(1), revisit: share }),
  dwellMs: z.object({ min: z.number().nonnegative(), max: z.number().nonnegative() }),
  purchasePropensity: share,
  maxEvents: z.number().int().min(1).max(100_000),
  userAgents: z.object({ headless: share, automation: share, missing: share }),
  storeModes: weights,
});
export type Profile = z.infer<typeof profileSchema>;

export { compileKernel, type CompiledKernel } from './compiled-kernel.js';

/** Validate a profile (every problem listed with its path). */
export function parseProfile(value: unknown, source: string): Profile {
  const r = profileSchema.safeParse(value);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new UsageError(`profile ${source} is invalid: ${problems}`);
  }
  const p = r.data;
  if (!(START in p.kernel)) throw new UsageError(`profile ${source}: kernel has no "${START}" row`);
  for (const [src, row] of Object.entries(p.kernel)) {
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new UsageError(`profile ${source}: kernel row "${src}" has no positive weight`);
    for (const dst of Object.keys(row)) {
      if (dst !== END && !(dst in p.kernel)) throw new UsageError(`profile ${source}: kernel row "${src}" leads to "${dst}", which has no row of its own`);
    }
  }
  if (p.dwellMs.max < p.dwellMs.min) throw new UsageError(`profile ${source}: dwellMs.max < dwellMs.min`);
  return p;
}

/** Load a built-in profile (`human`, `agent`) or a JSON file. */
export async function loadProfile(nameOrPath: string): Promise<Profile> {
  const builtin = nameOrPath === 'human' || nameOrPath === 'agent';
  const url = builtin ? new URL(`../../fixtures/profiles/${nameOrPath}.json`, import.meta.url) : nameOrPath;
  let text: string;
  try {
    text = await readFile(url, 'utf8');
  } catch {
    throw new UsageError(`cannot read profile ${nameOrPath}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`profile ${nameOrPath} is not valid JSON: ${(err as Error).message}`);
  }
  return parseProfile(json, nameOrPath);
}
