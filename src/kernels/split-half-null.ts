/**
 * The intra-class split-half null of docs/method.md: split each class's sessions into two random halves, measure
 * the divergence between the halves, repeat B times (seeded). Between-class divergences far above this
 * within-class noise level are evidence of separation: p = (#{null ≥ observed} + 1)/(B + 1),
 * lift = observed / mean(null). Halves hold half the data, so the null is slightly inflated (conservative).
 */
import { mean } from '../stats/descriptive.js';
import type { Rng } from '../stats/rng.js';
import { addSessions, rowCount, rowSums, subtractCounts, zeroCounts, type CountMatrix } from './count-matrix.js';
import { kernelDivergence, type KernelSide, type Weighting } from './kernel-divergence.js';
import type { Smoothing } from './kernel.js';
import type { SessionTransitions } from './session-transitions.js';

/** A class as the null needs it: member sessions and their pooled totals. */
export interface NullClass {
  members: Int32Array;
  counts: CountMatrix;
  mass: CountMatrix;
}

export interface NullDistribution {
  replicates: number;
  /** per replicate, the mean over classes of KL(half₁ ‖ half₂) (halves are random, so either direction) */
  kl: Float64Array;
  /** per replicate, the mean over classes of JS(half₁, half₂) */
  js: Float64Array;
}

function side(counts: CountMatrix, mass: CountMatrix): KernelSide {
  return { mass, visits: rowSums(counts) };
}

/**
 * Draw the split-half null. Classes with fewer than 2 sessions cannot be split and are left out; with none
 * left the distribution is empty.
 * @example splitHalfNull(transitions, mass, [human, agent], { replicates: 200, smoothing, weighting: 'visits', rng: createRng(42) })
 */
export function splitHalfNull(
  t: SessionTransitions, mass: Float64Array, classes: NullClass[],
  opts: { replicates: number; smoothing: Smoothing; weighting: Weighting; rng: Rng },
): NullDistribution {
  const usable = classes.filter((c) => c.members.length >= 2);
  const b = usable.length === 0 ? 0 : opts.replicates;
  const kl = new Float64Array(b), js = new Float64Array(b);
  const pooled = mass === t.count;
  const shuffled = usable.map((c) => Int32Array.from(c.members));
  for (let r = 0; r < b; r++) {
    let sumKl = 0, sumJs = 0;
    usable.forEach((c, k) => {
      const order = shuffled[k]!, n = order.length, half = n >> 1;
      // Partial Fisher–Yates: the first `half` slots become a uniform random subset.
      for (let i = 0; i < half; i++) {
        const j = i + opts.rng.int(n - i);
        const x = order[i]!;
        order[i] = order[j]!;
        order[j] = x;
      }
      const first = order.subarray(0, half), rows = rowCount(c.counts);
      const counts1 = addSessions(zeroCounts(t.size, rows), t, t.count, first);
      const mass1 = pooled ? counts1 : addSessions(zeroCounts(t.size, rows), t, mass, first);
      // Integer counts subtract exactly; mean-of-rows masses are summed afresh (no float residues below 0).
      const counts2 = subtractCounts(c.counts, counts1);
      const mass2 = pooled ? counts2 : addSessions(zeroCounts(t.size, rows), t, mass, order.subarray(half));
      const d = kernelDivergence(side(counts1, mass1), side(counts2, mass2), opts.smoothing, opts.weighting);
      sumKl += d.klPQ;
      sumJs += d.js;
    });
    kl[r] = sumKl / usable.length;
    js[r] = sumJs / usable.length;
  }
  return { replicates: b, kl, js };
}

export interface NullComparison {
  observed: number;
  nullMean: number;
  /** (#{null ≥ observed} + 1) / (B + 1); NaN without replicates */
  p: number;
  /** observed / mean(null) */
  lift: number;
}

/**
 * Compare an observed divergence with its null sample.
 * @example compareToNull(0.41, nullDist.kl) // { observed: 0.41, nullMean: 0.02, p: 0.005, lift: 20.5 }
 */
export function compareToNull(observed: number, sample: Float64Array): NullComparison {
  if (sample.length === 0) return { observed, nullMean: NaN, p: NaN, lift: NaN };
  let atLeast = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i]! >= observed) atLeast++;
  const nullMean = mean(sample);
  return { observed, nullMean, p: (atLeast + 1) / (sample.length + 1), lift: observed / nullMean };
}
