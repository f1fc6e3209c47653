// A worker's warm-up (primeClosures): the one-step runs before the first job change no result and no cache entry
// beyond the first α's setup, and a spec that fails is left to fail in its first job with its own error.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { newCellCache, primeClosures, runJob, type GridSpec, type RunJob } from '../../src/sim/grid-cell.js';
import { resolvePolicyParams } from '../../src/sim/policies/policy-params.js';
import { setupData } from './setup-fixture.js';

const spec: GridSpec = {
  setup: setupData(), alphas: [0.2, 0.5], policies: ['static', 'defended-linucb', 'robust-surge'], seeds: [3, 4], steps: 12,
  params: resolvePolicyParams(), traceAlpha: 0.2,
};
const jobs: RunJob[] = [0, 1].flatMap((alphaIndex) => [...spec.policies, 'oracle'].map((policy) => ({ alphaIndex, seedIndex: 0, policy })));

describe('primeClosures', () => {
  it('leaves every run of the grid unchanged (metrics and traces), at the primed α and another', () => {
    const fresh = newCellCache(), primed = newCellCache();
    primeClosures(spec, primed);
    for (const job of jobs) expect(runJob(spec, job, primed)).toEqual(runJob(spec, job, fresh));
  });

  it('keeps only the first α’s setup and contamination model in the cache', () => {
    const cache = newCellCache();
    primeClosures(spec, cache);
    expect([...cache.setups.keys()]).toEqual([0.2]);
    expect([...cache.models.keys()]).toEqual([0.2]); // robust-surge needs it
  });

  it('does not throw for a spec its jobs reject: the first job reports the error', () => {
    const bad = { ...spec, policies: ['static', 'fancy'] };
    const cache = newCellCache();
    expect(() => primeClosures(bad, cache)).not.toThrow();
    expect(() => runJob(bad, { alphaIndex: 0, seedIndex: 0, policy: 'fancy' }, cache)).toThrow(UsageError);
  });
});
