import { describe, expect, it } from 'vitest';
import { invertSpd, LinUcbState } from '../../src/serve/linucb-state.js';
import { parseSums, scriptArgs } from '../../src/serve/linucb-shared.js';
import { createRng } from '../../src/stats/rng.js';

const ARMS = [0.9, 1, 1.1];
const D = 4;

function randomContext(rng: ReturnType<typeof createRng>): Float64Array {
  return Float64Array.of(1, rng.next(), rng.normal(), rng.next() < 0.5 ? 1 : 0);
}

describe('invertSpd', () => {
  it('inverts symmetric positive definite matrices (A·A⁻¹ = I)', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 20; trial++) {
      const d = 2 + rng.int(6);
      const a = new Float64Array(d * d);
      for (let k = 0; k < 3 * d; k++) {
        const x = Array.from({ length: d }, () => rng.normal());
        for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) a[r * d + c]! += x[r]! * x[c]!;
      }
      for (let i = 0; i < d; i++) a[i * d + i]! += 0.5;
      const inv = invertSpd(a, d);
      for (let r = 0; r < d; r++) {
        for (let c = 0; c < d; c++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += a[r * d + k]! * inv[k * d + c]!;
          expect(s).toBeCloseTo(r === c ? 1 : 0, 9);
        }
      }
    }
  });
});

describe('LinUcbState', () => {
  it('Sherman–Morrison updates give the same bounds as re-inverting the summed statistics', () => {
    const rng = createRng(11);
    const learner = new LinUcbState({ arms: ARMS, dimension: D, alpha: 1, ridge: 1 });
    for (let t = 0; t < 300; t++) learner.update(rng.int(ARMS.length), randomContext(rng), rng.next() * 2);
    const replica = new LinUcbState({ arms: ARMS, dimension: D, alpha: 1, ridge: 1 });
    replica.adoptShared(learner.total());
    for (let k = 0; k < 50; k++) {
      const x = randomContext(rng);
      const a = learner.ucbScores(x), b = replica.ucbScores(x);
      for (let i = 0; i < ARMS.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 10);
    }
  });

  it('before any data every arm ties and ties are broken at random, not towards the first arm', () => {
    const s = new LinUcbState({ arms: ARMS, dimension: D, alpha: 1, ridge: 1 });
    const rng = createRng(5), counts = [0, 0, 0];
    for (let k = 0; k < 3000; k++) counts[s.choose(Float64Array.of(1, 0, 0, 0), rng)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('moves pending updates in flight, and a failed write puts them back', () => {
    const s = new LinUcbState({ arms: ARMS, dimension: D, alpha: 1, ridge: 1 });
    const x = Float64Array.of(1, 0.5, 0, 1);
    s.update(1, x, 1);
    s.update(1, x, 0);
    expect(s.unsharedCount()).toBe(2);
    const out = s.beginWrite()!;
    expect(Array.from(out.n)).toEqual([0, 2, 0]);
    expect(s.beginWrite()).toBeNull(); // one write at a time
    s.update(2, x, 1);
    s.endWrite(false);
    expect(s.unsharedCount()).toBe(3);
    const again = s.beginWrite()!;
    expect(Array.from(again.n)).toEqual([0, 2, 1]);
    s.endWrite(true);
    expect(s.unsharedCount()).toBe(0);
    expect(Array.from(s.total().n)).toEqual([0, 2, 1]);
    expect(s.total().xr[1 * D + 1]).toBeCloseTo(0.5, 12);
  });

  it('Redis script arguments and hash fields round-trip the sums', () => {
    const rng = createRng(2);
    const s = new LinUcbState({ arms: ARMS, dimension: D, alpha: 1, ridge: 1 });
    for (let t = 0; t < 40; t++) s.update(rng.int(2), randomContext(rng), rng.normal());
    const sums = s.total();
    const args = scriptArgs(sums, D);
    // emulate the Lua script on an empty hash
    const hash: Record<string, string> = {};
    for (let i = 1; i < args.length; i += 2 + D * D + D) {
      const a = args[i]!;
      hash[`n:${a}`] = args[i + 1]!;
      for (let c = 0; c < D * D; c++) if (args[i + 2 + c] !== '0') hash[`x:${a}:${c}`] = args[i + 2 + c]!;
      for (let c = 0; c < D; c++) if (args[i + 2 + D * D + c] !== '0') hash[`r:${a}:${c}`] = args[i + 2 + D * D + c]!;
    }
    const back = parseSums({ ...hash, v: '1' }, ARMS.length, D);
    expect(Array.from(back.xx)).toEqual(Array.from(sums.xx));
    expect(Array.from(back.xr)).toEqual(Array.from(sums.xr));
    expect(Array.from(back.n)).toEqual(Array.from(sums.n));
  });
});
