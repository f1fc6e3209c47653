/**
 * `--min-samples-leaf` on small data: a depth-D tree can only have 2^D leaves of L sessions when there are
 * at least L·2^D training sessions. The default leaf size (50) would leave a few hundred fixture sessions
 * with a stump, so it is scaled down to floor(n / 2^D) (at least 1), with a warning. A value the user
 * gave explicitly is kept as it is.
 */

export interface LeafSizeDecision {
  requested: number;
  used: number;
  scaled: boolean;
  /** why it was scaled (null if not) */
  reason: string | null;
}

/**
 * @param nTrain training sessions
 * @param allowScaling false when the user chose the value explicitly
 * @example effectiveMinSamplesLeaf(240, 5, 50, true).used; // 7
 */
export function effectiveMinSamplesLeaf(nTrain: number, maxDepth: number, requested: number,
  allowScaling: boolean): LeafSizeDecision {
  const leaves = 2 ** maxDepth;
  if (!allowScaling || nTrain >= requested * leaves) return { requested, used: requested, scaled: false, reason: null };
  const used = Math.max(1, Math.floor(nTrain / leaves));
  if (used >= requested) return { requested, used: requested, scaled: false, reason: null };
  return {
    requested, used, scaled: true,
    reason: `only ${nTrain} training sessions: min-samples-leaf ${requested} scaled down to ${used} so a depth-${maxDepth} tree can form (it needs ${requested}·2^${maxDepth} = ${requested * leaves}); pass --min-samples-leaf to choose it yourself`,
  };
}
