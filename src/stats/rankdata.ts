import { argsort } from './argsort.js';

/** Average ranks plus what the tie corrections need, from one sort. */
export interface Ranking {
  /** 1-based ranks; tied values share the mean of the ranks they span (scipy.stats.rankdata 'average'). */
  ranks: Float64Array;
  /** Σ (t³ − t) over groups of t tied values: the tie term of the Mann–Whitney variance. */
  tieTerm: number;
  /** Whether any value occurs more than once. */
  hasTies: boolean;
}

/**
 * Rank values with average ties and report the tie term in the same pass.
 *
 * @example rankWithTies([10, 20, 20, 30]).ranks; // Float64Array [1, 2.5, 2.5, 4]
 */
export function rankWithTies(values: ArrayLike<number>): Ranking {
  const n = values.length;
  const order = argsort(values);
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = values[order[i]!]!;
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let i = 0;
  while (i < n) {
    const v = sorted[i]!;
    let j = i + 1;
    while (j < n && sorted[j]! === v) j++;
    // Positions i..j-1 (0-based) hold ranks i+1..j: their mean is (i + 1 + j) / 2.
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }
  return { ranks, tieTerm, hasTies: tieTerm > 0 };
}

/**
 * Average ranks (1-based), identical to scipy.stats.rankdata(values) with method='average'.
 *
 * @example rankdata([3, 1, 3]); // Float64Array [2.5, 1, 2.5]
 */
export function rankdata(values: ArrayLike<number>): Float64Array {
  return rankWithTies(values).ranks;
}
