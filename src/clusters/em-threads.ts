/**
 * The session-cluster E-step (em-step.ts) on two (or more) threads. The patterns are cut once into `threads`
 * fixed chunks of about equal work; every EM iteration each chunk's M-step sums go to that chunk's own slot in
 * shared memory, and the caller adds the slots in chunk order — so the result depends on the number of chunks
 * alone, never on which thread computed which chunk or when. Helpers and the caller claim chunks from a shared
 * counter (Atomics.add), so the caller never waits for a helper to start: a late helper takes fewer chunks
 * (none if it is later than the fit), and one that fails or stops answering has its chunk redone by the caller.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerScript } from '../worker-script.js';
import { eStep, type PatternArrays, type PatternMembers, type StepParameters, type StepSums } from './em-step.js';
import type { SessionGaps } from './gap-emission.js';

/** How long the caller waits for a chunk a helper claimed before computing it itself. */
const HELPER_TIMEOUT_MS = 60_000;
/** Claim counter = generation · CLAIM_SLOTS + next chunk; a generation sees at most 2·threads claims. */
export const CLAIM_SLOTS = 1024;
/** Threads at most (so a generation's claims stay below CLAIM_SLOTS). */
export const MAX_EM_THREADS = 64;
// control words: the claim counter, k of the generation, timed (1) or not (0), stop, then per-chunk done flags
export const EM_CTL = { claim: 0, k: 1, timed: 2, stop: 3, flags: 4 } as const;

/** Everything a thread needs to compute a chunk: inputs, parameters and output slots, all in shared memory. */
export interface EmShared {
  pt: PatternArrays;
  gaps: SessionGaps | null;
  by: PatternMembers | null;
  v: number;
  kMax: number;
  /** chunk c is patterns [bounds[c], bounds[c + 1]) */
  bounds: Int32Array;
  ctl: Int32Array;
  params: Float64Array;
  out: Float64Array;
}

/** Offsets inside the parameter block and inside each chunk's output slot. */
export function emLayout(v: number, kMax: number, groups: number) {
  const vv = v * v, kg = kMax * groups;
  return {
    logT: kMax, mean: kMax + kMax * vv, a: kMax + kMax * vv + kg, b: kMax + kMax * vv + 2 * kg, params: kMax + kMax * vv + 3 * kg,
    weights: kMax * vv, gapAcc: kMax * vv + kMax, ll: kMax * vv + kMax + 3 * kg, slot: kMax * vv + kMax + 3 * kg + 1,
  };
}

/** Compute chunk `c` with k clusters from the shared parameters into `slot` (the chunk's shared slot by default). */
export function computeChunk(sh: EmShared, c: number, k: number, timed: boolean, slot?: Float64Array): void {
  const groups = sh.gaps ? sh.gaps.groups : 0, L = emLayout(sh.v, sh.kMax, groups), vv = sh.v * sh.v, kg = k * groups;
  const s = slot ?? sh.out.subarray(c * L.slot, (c + 1) * L.slot), p = sh.params;
  const par: StepParameters = {
    logW: p.subarray(0, k), logT: p.subarray(L.logT, L.logT + k * vv),
    gap: timed ? { mean: p.subarray(L.mean, L.mean + kg), a: p.subarray(L.a, L.a + kg), b: p.subarray(L.b, L.b + kg) } : null,
  };
  const out: StepSums = { counts: s.subarray(0, k * vv), weights: s.subarray(L.weights, L.weights + k), gapAcc: s.subarray(L.gapAcc, L.gapAcc + 3 * kg) };
  const timedInput = timed && sh.gaps && sh.by ? { g: sh.gaps, by: sh.by } : null;
  s[L.ll] = eStep(sh.pt, timedInput, sh.bounds[c]!, sh.bounds[c + 1]!, k, sh.v, par, out, null);
}

/** `a` itself when it already lives in shared memory, else a shared copy. */
function shared<T extends Int32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = (a instanceof Int32Array ? new Int32Array(new SharedArrayBuffer(a.byteLength)) : new Float64Array(new SharedArrayBuffer(a.byteLength))) as T;
  copy.set(a);
  return copy;
}

/** The E-step on `threads` threads, for one fit (open once, step every iteration, close at the end). */
export class EmThreads {
  /** chunks a helper computed (tells a test the helpers took part) */
  helperChunks = 0;
  readonly chunks: number;
  private generation = 0;
  private dead = false;
  private readonly workers: Worker[] = [];
  private readonly layout: ReturnType<typeof emLayout>;

  private constructor(private readonly sh: EmShared) {
    this.chunks = sh.bounds.length - 1;
    this.layout = emLayout(sh.v, sh.kMax, sh.gaps ? sh.gaps.groups : 0);
  }

  /**
   * Copy the inputs to shared memory, cut them into `threads` chunks of about equal work and start
   * threads − 1 helpers; null when the compiled helper script is missing (then the caller steps alone).
   */
  static open(pt: PatternArrays, gaps: SessionGaps | null, by: PatternMembers | null, v: number, kMax: number, threads: number): EmThreads | null {
    // gaps: in member order (em-step.ts memberGaps)
    const script = workerScript(import.meta.url, 'clusters/em-worker.js');
    threads = Math.min(Math.floor(threads), MAX_EM_THREADS);
    if (!(threads >= 2) || !existsSync(fileURLToPath(script))) return null;
    const patterns = pt.weight.length;
    // work of pattern p: its pairs (chain terms and counts), plus each session's gap entries with timing
    const cost = new Float64Array(patterns);
    let total = 0;
    for (let p = 0; p < patterns; p++) {
      let x = 2 * (pt.offsets[p + 1]! - pt.offsets[p]!);
      if (gaps && by) x += 2 * (by.members[p + 1]! - by.members[p]!) + 2 * (gaps.offsets[by.members[p + 1]!]! - gaps.offsets[by.members[p]!]!);
      cost[p] = x;
      total += x;
    }
    const bounds = new Int32Array(threads + 1);
    bounds[threads] = patterns;
    for (let p = 0, c = 1, run = 0; p < patterns && c < threads; p++) {
      run += cost[p]!;
      while (c < threads && run >= (total * c) / threads) bounds[c++] = p + 1;
    }
    const sh: EmShared = {
      pt: { weight: shared(pt.weight), offsets: shared(pt.offsets), cell: shared(pt.cell), count: shared(pt.count) },
      gaps: gaps ? { ...gaps, offsets: shared(gaps.offsets), group: shared(gaps.group), n: shared(gaps.n), sum: shared(gaps.sum), sumSq: shared(gaps.sumSq) } : null,
      by: by ? { members: shared(by.members), bySession: shared(by.bySession) } : null,
      v, kMax, bounds,
      ctl: new Int32Array(new SharedArrayBuffer(4 * (EM_CTL.flags + threads))),
      params: new Float64Array(new SharedArrayBuffer(8 * emLayout(v, kMax, gaps ? gaps.groups : 0).params)),
      out: new Float64Array(new SharedArrayBuffer(8 * threads * emLayout(v, kMax, gaps ? gaps.groups : 0).slot)),
    };
    const pool = new EmThreads(sh);
    try {
      for (let w = 0; w < threads - 1; w++) {
        const worker = new Worker(script, { workerData: sh });
        worker.unref();
        pool.workers.push(worker);
      }
    } catch {
      // no helper could start: the caller claims every chunk
    }
    return pool;
  }

  /** One E-step with k clusters: the summed M-step sums in `out` (chunk order), and the log-likelihood. */
  step(k: number, par: StepParameters, out: StepSums): number {
    const { sh, layout: L, chunks } = this, ctl = sh.ctl, p = sh.params, vv = sh.v * sh.v;
    if (k > sh.kMax) throw new RangeError(`E-step threads were opened for k ≤ ${sh.kMax}, got ${k}`);
    p.set(par.logW.subarray(0, k), 0);
    p.set(par.logT.subarray(0, k * vv), L.logT);
    if (par.gap) {
      p.set(par.gap.mean, L.mean);
      p.set(par.gap.a, L.a);
      p.set(par.gap.b, L.b);
    }
    const generation = ++this.generation, timed = par.gap !== null;
    Atomics.store(ctl, EM_CTL.k, k);
    Atomics.store(ctl, EM_CTL.timed, timed ? 1 : 0);
    Atomics.store(ctl, EM_CTL.claim, generation * CLAIM_SLOTS);
    Atomics.notify(ctl, EM_CTL.claim);
    const mine = new Uint8Array(chunks);
    for (let x = Atomics.add(ctl, EM_CTL.claim, 1); x % CLAIM_SLOTS < chunks; x = Atomics.add(ctl, EM_CTL.claim, 1)) {
      computeChunk(sh, x % CLAIM_SLOTS, k, timed);
      mine[x % CLAIM_SLOTS] = 1;
    }
    const slots: Float64Array[] = [];
    for (let c = 0; c < chunks; c++) {
      const own = sh.out.subarray(c * L.slot, (c + 1) * L.slot);
      if (mine[c] === 1) slots.push(own);
      else if (!this.dead && this.waitFor(c, generation)) {
        slots.push(own);
        this.helperChunks++;
      } else {
        // the helper failed or stopped answering: same chunk, computed here into a private slot; no more helpers
        this.stopHelpers();
        const slot = new Float64Array(L.slot);
        computeChunk(sh, c, k, timed, slot);
        slots.push(slot);
      }
    }
    const g = par.gap ? par.gap.mean.length / k : 0;
    out.counts.fill(0);
    out.weights.fill(0);
    out.gapAcc.fill(0);
    let ll = 0;
    for (const s of slots) {
      for (let i = 0; i < k * vv; i++) out.counts[i]! += s[i]!;
      for (let c = 0; c < k; c++) out.weights[c]! += s[L.weights + c]!;
      for (let i = 0; i < 3 * k * g; i++) out.gapAcc[i]! += s[L.gapAcc + i]!;
      ll += s[L.ll]!;
    }
    return ll;
  }

  /** Wait until a helper flagged chunk c done in this generation; false on failure (−generation) or timeout. */
  private waitFor(c: number, generation: number): boolean {
    const ctl = this.sh.ctl, at = EM_CTL.flags + c, deadline = Date.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const f = Atomics.load(ctl, at);
      if (f === generation) return true;
      if (f === -generation) return false;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(ctl, at, f, Math.min(left, 1000));
    }
  }

  private stopHelpers(): void {
    this.dead = true;
    Atomics.store(this.sh.ctl, EM_CTL.stop, 1);
    Atomics.notify(this.sh.ctl, EM_CTL.claim);
    for (const worker of this.workers.splice(0)) void worker.terminate();
  }

  /** Stop the helpers (call once the fit is done). */
  close(): void {
    this.stopHelpers();
  }
}
