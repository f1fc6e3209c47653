import { UsageError } from '../errors.js';
import type { Rng } from './rng.js';
import type { Alternative } from './mann-whitney-types.js';

/** Result of a permutation test on the rank-sum statistic. */
export interface PermutationOutcome {
  pvalue: number;
  /** Resamples drawn, or the number of distinct splits when they were all enumerated. */
  permutations: number;
  /** True when every split was enumerated (the exact conditional test, ties included). */
  enumerated: boolean;
}

/** C(n, k) as a float, stopping early once it exceeds `cap` (we only need to know whether it does). */
function binomialUpTo(n: number, k: number, cap: number): number {
  let c = 1;
  const kk = Math.min(k, n - k);
  for (let i = 1; i <= kk; i++) {
    c = (c * (n - kk + i)) / i;
    if (c > cap) return Infinity;
  }
  return Math.round(c);
}

/** Visit the rank sum of every size-k subset of `ranks` (lexicographic recursion; only used for small counts). */
function forEachSubsetSum(ranks: Float64Array, k: number, visit: (sum: number) => void): void {
  const n = ranks.length;
  const walk = (start: number, left: number, sum: number): void => {
    if (left === 0) { visit(sum); return; }
    for (let i = start; i <= n - left; i++) walk(i + 1, left - 1, sum + ranks[i]!);
  };
  walk(0, k, 0);
}

/**
 * Permutation p-value for U1 given the pooled average ranks (first n1 belong to x). Mirrors
 * scipy.stats.permutation_test: when C(n1+n2, n1) ≤ permutations every split is enumerated and
 * p = #{as extreme}/total; otherwise p = (#{as extreme} + 1)/(B + 1) over B seeded random splits.
 * Two-sided p = min(1, 2·min(p_less, p_greater)).
 *
 * @example permutationPValue(rankdata([...x, ...y]), x.length, u1, 'two-sided', 9999, createRng(1));
 */
export function permutationPValue(
  ranks: Float64Array, n1: number, u1: number, alternative: Alternative, permutations: number, rng: Rng | undefined,
): PermutationOutcome {
  const n = ranks.length, n2 = n - n1;
  const offset = (n1 * (n1 + 1)) / 2;
  let total = 0;
  for (let i = 0; i < n; i++) total += ranks[i]!;
  let atLeast = 0, atMost = 0, count = 0;
  const tally = (r1: number): void => {
    const u = r1 - offset;
    if (u >= u1) atLeast++;
    if (u <= u1) atMost++;
  };
  const splits = binomialUpTo(n, n1, permutations);
  const enumerated = splits <= permutations;
  if (enumerated) {
    forEachSubsetSum(ranks, n1, tally);
    count = splits;
  } else {
    if (!rng) throw new UsageError("method 'permutation' needs opts.rng (e.g. createRng(seed)) to draw resamples");
    // Partial Fisher–Yates on a working copy: the first `draw` slots are a uniform random subset each round.
    const pool = Float64Array.from(ranks);
    const draw = Math.min(n1, n2);
    for (let b = 0; b < permutations; b++) {
      let s = 0;
      for (let i = 0; i < draw; i++) {
        const j = i + rng.int(n - i);
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
        s += pool[i]!;
      }
      tally(draw === n1 ? s : total - s);
    }
    count = permutations;
  }
  const adj = enumerated ? 0 : 1;
  const pGreater = (atLeast + adj) / (count + adj);
  const pLess = (atMost + adj) / (count + adj);
  const pvalue = alternative === 'greater' ? pGreater : alternative === 'less' ? pLess : Math.min(1, 2 * Math.min(pLess, pGreater));
  return { pvalue, permutations: count, enumerated };
}
