/**
 * Seeded pseudo-random numbers, identical on every platform: xoshiro128** seeded through splitmix32.
 * All randomness in phantom flows from one of these, created at the edge from `--seed`.
 *
 * @example const rng = createRng(42); rng.next(); // uniform in [0, 1)
 */
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, cached pair). */
  normal(): number;
  /** An independent generator derived from this one's stream (for workers, folds, …). */
  fork(): Rng;
}

/** Create a generator from an integer seed (any JS number; non-integers are truncated). */
export function createRng(seed: number): Rng {
  const rng = reseedableRng();
  rng.reseed(seed);
  return rng;
}

/** A generator that can be reset in place to the stream of `createRng(seed)`. */
export interface ReseedableRng extends Rng {
  /** Continue as `createRng(seed)` would start; allocates nothing. */
  reseed(seed: number): void;
}

/**
 * One generator for many short streams: `reseed(seed)` makes it yield exactly what `createRng(seed)` would,
 * without allocating a generator per stream (the market draws one stream per session; a new generator per
 * session was ~20 % of the simulator's allocation).
 * @example const rng = reseedableRng(); rng.reseed(42); rng.next(); // === createRng(42).next()
 */
export function reseedableRng(): ReseedableRng {
  const s = new Uint32Array(4);
  let spare = NaN;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  };
  const rng: ReseedableRng = {
    reseed: (seed) => {
      // four words of splitmix32 seeded with the seed's two 32-bit halves xor-ed
      let x = (Math.trunc(seed) ^ Math.trunc(seed / 4294967296)) >>> 0;
      for (let k = 0; k < 4; k++) {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        s[k] = (z ^ (z >>> 16)) >>> 0;
      }
      if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
      spare = NaN;
    },
    next: () => nextU32() / 4294967296,
    int: (n) => Math.floor((nextU32() / 4294967296) * n),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const v = spare;
        spare = NaN;
        return v;
      }
      let u = 0;
      while (u === 0) u = nextU32() / 4294967296;
      const v = nextU32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: () => createRng(nextU32() * 4294967296 + nextU32()),
  };
  rng.reseed(0);
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
