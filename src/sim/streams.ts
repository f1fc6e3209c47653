/**
 * Independent random streams for the market, keyed by (seed, purpose, step, session): every session
 * gets its own generator, so two policies run on the same seed see the same arrivals, the same classes
 * and the same willingness-to-pay draws (common random numbers), and contamination is coupled across α
 * (an agent at α = 0.1 is still an agent at α = 0.2).
 */
import type { Rng } from '../stats/rng.js';

/** Stream purposes, one constant each. */
export const STREAM = { step: 1, session: 2, appeal: 3, policy: 4, model: 5 } as const;

/**
 * A 53-bit-safe seed from integer parts (murmur3 finaliser over each part).
 * @example createRng(mixSeed(42, STREAM.session, t, s))
 */
export function mixSeed(...parts: number[]): number {
  let h1 = 0x9e3779b9, h2 = 0x85ebca6b;
  for (const part of parts) {
    const lo = part >>> 0, hi = Math.floor(part / 4294967296) >>> 0;
    h1 = fmix(h1 ^ lo ^ Math.imul(hi, 0x27d4eb2f));
    h2 = fmix(h2 + h1 + hi);
  }
  return (h1 >>> 0) + (h2 & 0x1fffff) * 4294967296;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A Poisson draw (Knuth's product of uniforms; large means are split into chunks of at most 500). */
export function poisson(rng: Rng, mean: number): number {
  let k = 0;
  for (let left = mean; left > 0; left -= 500) {
    const l = Math.exp(-Math.min(left, 500));
    let p = rng.next();
    while (p > l) {
      k++;
      p *= rng.next();
    }
  }
  return k;
}

/** A stream name for a policy (so two policies in one run never share randomness). */
export function nameSeed(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h;
}
