/**
 * Markup tiers (`--tiers 0.4:1.1,0.7:1.3`): each entry is `score:markup`, read as "sessions whose score
 * (p_agent, or the --target-column) is at least `score` pay `markup`". Scores below every threshold form
 * the base tier at markup 1, unless an entry with threshold 0 (or below) sets the base itself. Class k of
 * the student's classification tree is tier k, in ascending threshold order.
 */
import { UsageError } from '../errors.js';

export interface MarkupTier {
  /** lowest score in the tier (−Infinity for the base tier) */
  minScore: number;
  markup: number;
}

/**
 * Parse `score:markup,score:markup,…` into tiers, base tier first.
 * @example parseTiers('0.4:1.1,0.7:1.3'); // [{-Inf, 1}, {0.4, 1.1}, {0.7, 1.3}]
 */
export function parseTiers(text: string): MarkupTier[] {
  const problems: string[] = [];
  const entries = text.split(',').map((part) => part.trim()).filter((p) => p !== '').map((part) => {
    const m = /^([^:]+):([^:]+)$/.exec(part);
    const score = m ? Number(m[1]) : NaN, markup = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(score) || !Number.isFinite(markup)) problems.push(`"${part}" is not score:markup`);
    else if (!(markup > 0)) problems.push(`"${part}": markup must be > 0`);
    return { minScore: score, markup };
  });
  if (entries.length === 0) problems.push('no tiers given');
  entries.sort((x, y) => x.minScore - y.minScore);
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.minScore === entries[i - 1]!.minScore) problems.push(`threshold ${entries[i]!.minScore} appears twice`);
  }
  if (problems.length > 0) throw new UsageError(`--tiers: ${problems.join('; ')} (example: --tiers 0.4:1.1,0.7:1.3)`);
  if (entries[0]!.minScore <= 0) return [{ minScore: -Infinity, markup: entries[0]!.markup }, ...entries.slice(1)];
  return [{ minScore: -Infinity, markup: 1 }, ...entries];
}

/**
 * Tier index per score (the highest tier whose threshold the score reaches); −1 for a NaN score.
 * @example assignTiers(Float64Array.of(0.1, 0.5, 0.9), parseTiers('0.4:1.1,0.7:1.3')); // [0, 1, 2]
 */
export function assignTiers(score: Float64Array, tiers: readonly MarkupTier[]): Int32Array {
  const out = new Int32Array(score.length);
  for (let i = 0; i < score.length; i++) {
    const s = score[i]!;
    if (s !== s) { out[i] = -1; continue; }
    let k = tiers.length - 1;
    while (k > 0 && s < tiers[k]!.minScore) k--;
    out[i] = k;
  }
  return out;
}

/** `tiers[k].markup` for every class index (NaN for −1). */
export function tierMarkup(classes: ArrayLike<number>, tiers: readonly MarkupTier[]): Float64Array {
  const out = new Float64Array(classes.length);
  for (let i = 0; i < out.length; i++) out[i] = classes[i]! < 0 ? NaN : tiers[classes[i]!]!.markup;
  return out;
}

/** `0.4:1.1` style text of the non-base tiers (for output and reproduction). */
export function tiersText(tiers: readonly MarkupTier[]): string {
  return tiers.map((t) => `${Number.isFinite(t.minScore) ? t.minScore : 0}:${t.markup}`).join(',');
}
