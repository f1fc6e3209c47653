/**
 * A behaviour profile's kernel compiled for sampling. Apart from generate/profile.ts (which validates
 * profile files with zod) so that the simulator's worker threads, which only sample, load no schema
 * library (docs/perf/pool.md).
 */
import { END, START } from '../events/vocabulary.js';
import type { Profile } from './profile.js';

/** A profile's kernel compiled for sampling: states, and per source a cumulative distribution. */
export interface CompiledKernel {
  states: string[];
  /** cumulative[s] holds the CDF over `next[s]` */
  next: Int32Array[];
  cumulative: Float64Array[];
  start: number;
  end: number;
}

/**
 * The kernel with `checkout_start → purchase_complete` set to the purchase propensity (the rest of that
 * row rescaled), normalised and compiled. States are sorted, `<start>`/`<end>` included.
 */
export function compileKernel(p: Profile): CompiledKernel {
  const names = new Set<string>([START, END]);
  for (const [src, row] of Object.entries(p.kernel)) {
    names.add(src);
    for (const dst of Object.keys(row)) names.add(dst);
  }
  const states = [...names].sort();
  const idx = new Map(states.map((s, i) => [s, i]));
  const next: Int32Array[] = [];
  const cumulative: Float64Array[] = [];
  for (const s of states) {
    let row = { ...(p.kernel[s] ?? {}) };
    if (s === 'checkout_start' && 'purchase_complete' in row) {
      const others = Object.entries(row).filter(([d]) => d !== 'purchase_complete');
      const rest = others.reduce((a, [, w]) => a + w, 0);
      row = Object.fromEntries(others.map(([d, w]) => [d, rest > 0 ? (w / rest) * (1 - p.purchasePropensity) : 0]));
      row['purchase_complete'] = p.purchasePropensity;
    }
    const entries = Object.entries(row).filter(([, w]) => w > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const total = entries.reduce((a, [, w]) => a + w, 0);
    const n = new Int32Array(entries.length);
    const c = new Float64Array(entries.length);
    let acc = 0;
    entries.forEach(([d, w], k) => {
      n[k] = idx.get(d)!;
      acc += w / total;
      c[k] = acc;
    });
    if (c.length > 0) c[c.length - 1] = 1;
    next.push(n);
    cumulative.push(c);
  }
  return { states, next, cumulative, start: idx.get(START)!, end: idx.get(END)! };
}
