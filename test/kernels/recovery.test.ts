// docs/generate.md: kernels fitted on `generate` output recover the profiles' kernels, with error shrinking as N grows.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../src/generate/generate.js';
import { compileKernel, loadProfile, type Profile } from '../../src/generate/profile.js';
import { fitKernels, type KernelsReport } from '../../src/kernels/fit-kernels.js';
import { kernelMatrix, smoothingFor, visits } from '../../src/kernels/kernel.js';
import { END } from '../../src/kernels/states.js';
import { createRng } from '../../src/stats/rng.js';

type Cls = 'human' | 'agent';
let profiles: Record<Cls, Profile>;

/** Every (source, destination) cell of rows the fit visited: fitted and true probability, and the row's visits. */
function cells(r: KernelsReport, c: Cls): { fitted: number; truth: number; visits: number }[] {
  const ck = compileKernel(profiles[c]);
  const v = r.vocabulary.length, k = kernelMatrix(r.classes[c].mass, smoothingFor(r.params.smoothing, r.vocabulary)), seen = visits(r.classes[c]);
  const out: { fitted: number; truth: number; visits: number }[] = [];
  for (let a = 0; a < v; a++) {
    if (seen[a] === 0 || r.vocabulary[a] === END) continue;
    const src = ck.states.indexOf(r.vocabulary[a]!);
    expect(src, `fitted state ${r.vocabulary[a]} is not in the ${c} profile`).toBeGreaterThanOrEqual(0);
    const truth = new Map<string, number>();
    ck.next[src]!.forEach((d, j) => truth.set(ck.states[d]!, ck.cumulative[src]![j]! - (j > 0 ? ck.cumulative[src]![j - 1]! : 0)));
    for (const d of new Set([...truth.keys(), ...r.vocabulary])) {
      const b = r.vocabulary.indexOf(d);
      out.push({ fitted: b >= 0 ? k[a * v + b]! : 0, truth: truth.get(d) ?? 0, visits: seen[a]! });
    }
  }
  return out;
}

function fit(sessions: number, smoothing: number): KernelsReport {
  const { chunks } = generateDataset({ sessions, agentShare: 0.3, seed: 11, startMs: 0, spanDays: 7, products: null, sessionsPerExperiment: 1, profiles, labels: true, chunkSessions: sessions });
  const [table] = [...chunks()];
  return fitKernels(table!, table!.isAgent, { smoothing }, { bootstrap: 0, rng: createRng(1) });
}

/** Visit-weighted mean absolute error and max absolute error over rows with at least `minVisits`. */
function errors(r: KernelsReport, c: Cls, minVisits = 0): { weighted: number; max: number } {
  let num = 0, den = 0, max = 0;
  for (const x of cells(r, c)) {
    const e = Math.abs(x.fitted - x.truth);
    num += x.visits * e;
    den += x.visits;
    if (x.visits >= minVisits) max = Math.max(max, e);
  }
  return { weighted: num / den, max };
}

describe('recovery of the generator kernels (agent share 0.3, seed 11)', () => {
  const fits = new Map<number, KernelsReport>();
  beforeAll(async () => {
    profiles = { human: await loadProfile('human'), agent: await loadProfile('agent') };
    for (const n of [500, 2000, 20_000]) fits.set(n, fit(n, 0.5));
  });

  it.each(['human', 'agent'] as const)('%s: error shrinks as N grows (500 → 2,000 → 20,000 sessions)', (c) => {
    const e = [500, 2000, 20_000].map((n) => errors(fits.get(n)!, c));
    expect(e[1]!.weighted).toBeLessThan(e[0]!.weighted);
    expect(e[2]!.weighted).toBeLessThan(e[1]!.weighted);
    expect(e[2]!.max).toBeLessThan(e[0]!.max);
    expect(e[2]!.weighted).toBeLessThan(0.005);
  });

  // The bound needs enough visits: a row seen n times has standard error up to 0.5/√n (≈ 0.033 for the agents'
  // remove_item row, 225 visits at 20,000 sessions), so rare rows are held to the binomial check below instead.
  it.each(['human', 'agent'] as const)('%s: max absolute error < 0.02 at 20,000 sessions (rows visited ≥ 1,000 times), looser at smaller N', (c) => {
    expect(errors(fits.get(20_000)!, c, 1000).max).toBeLessThan(0.02);
    expect(errors(fits.get(2000)!, c, 200).max).toBeLessThan(0.08);
    expect(errors(fits.get(500)!, c, 50).max).toBeLessThan(0.2);
  });

  it.each(['human', 'agent'] as const)('%s: every cell of the MLE (α = 0) lies within 5 binomial standard errors', (c) => {
    const r = fit(20_000, 0);
    for (const x of cells(r, c)) {
      const se = Math.sqrt((x.truth * (1 - x.truth)) / x.visits);
      expect(Math.abs(x.fitted - x.truth)).toBeLessThanOrEqual(5 * se + 1e-12);
    }
  });
});
