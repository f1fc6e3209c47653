/**
 * A student that cannot stand for its teacher: a single rule (one leaf charges every session the same),
 * or a held-out R² ≤ 0 (the rules predict the teacher's markup no better than its mean). Such rules still
 * get written — a pricing team may want the flat markup — but never silently.
 */
import type { Fidelity } from './fidelity.js';

/**
 * One warning per way the student is degenerate (none when it is fine).
 * @example degenerateStudentWarnings(1, heldOut, 'regression', 1000); // ['the rules are a single rule …']
 */
export function degenerateStudentWarnings(leaves: number, heldOut: Fidelity | null, mode: 'regression' | 'tiers', minSamplesLeaf: number): string[] {
  const out: string[] = [];
  if (leaves <= 1) {
    out.push(`degenerate rules: the student tree has one leaf, so every session gets the same markup (min-samples-leaf ${minSamplesLeaf} left no split); lower --min-samples-leaf or give more sessions`);
  }
  if (mode === 'regression' && heldOut !== null && heldOut.r2 !== null && Number.isFinite(heldOut.r2) && heldOut.r2 <= 0) {
    out.push(`degenerate rules: held-out R² ${heldOut.r2.toFixed(3)} ≤ 0, the rules predict the teacher's markup no better than its mean; do not read their revenue figure as the classifier's`);
  }
  return out;
}
