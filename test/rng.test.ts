import { describe, expect, it } from 'vitest';
import { createRng } from '../src/stats/rng.js';

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });
  it('produces a roughly uniform mean and a standard normal', () => {
    const r = createRng(1);
    let s = 0, sn = 0, sn2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) { s += r.next(); const z = r.normal(); sn += z; sn2 += z * z; }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 1);
    expect(sn2 / n).toBeCloseTo(1, 1);
  });
});
