/**
 * The E-step of the session-cluster mixture (markov-mixture.ts) over a range of distinct patterns, writing the
 * M-step sums of that range: the whole range on one thread, or a fixed share of it on each thread (em-threads.ts),
 * whose partial sums the caller adds in a fixed order.
 */
import type { SessionGaps } from './gap-emission.js';

/** Sessions collapsed to distinct transition lists: pattern p has weight w_p and cells/counts of its pairs. */
export interface PatternArrays {
  weight: Float64Array;
  offsets: Int32Array;
  cell: Int32Array;
  count: Float64Array;
}

/** Sessions grouped by pattern (a counting sort), so one pass handles a pattern's chain terms and its sessions' gaps. */
export interface PatternMembers {
  /** sessions of pattern p are bySession[members[p] .. members[p + 1]) */
  members: Int32Array;
  bySession: Int32Array;
}

/** Log-parameters the E-step reads: k weights, k × V × V kernels and, with timing, the gap Gaussians' μ, a, b (k × G). */
export interface StepParameters {
  logW: Float64Array;
  logT: Float64Array;
  /** a = −½ln(2πσ²), b = 1/(2σ²) per (cluster, group) (gap-emission.ts densityTerms) */
  gap: { mean: Float64Array; a: Float64Array; b: Float64Array } | null;
}

/** M-step sums of a range: Σ r·w·n(a, b) per (cluster, cell), Σ r·w per cluster, Σ r·n, Σ r·Σx, Σ r·Σx² per (cluster, group). */
export interface StepSums {
  counts: Float64Array;
  weights: Float64Array;
  gapAcc: Float64Array;
}

/**
 * Sessions' gap statistics and their grouping by pattern (the timed E-step's inputs beside the patterns). The
 * gap entries are in member order (memberGaps): entry range m belongs to session bySession[m], so a pass over
 * the patterns reads them front to back.
 */
export interface TimedInput {
  g: SessionGaps;
  by: PatternMembers;
}

/**
 * One E-step over patterns [p0, p1): posteriors with the current log-parameters, accumulated into `out` (zeroed
 * first); returns the range's log-likelihood. Without `timed` a pattern's posterior is shared by its sessions
 * (`post` is then patterns × k); with it each session adds its gap terms (`post` is sessions × k).
 */
export function eStep(pt: PatternArrays, timed: TimedInput | null, p0: number, p1: number, k: number, v: number, par: StepParameters, out: StepSums, post: Float64Array | null): number {
  out.counts.fill(0);
  out.weights.fill(0);
  out.gapAcc.fill(0);
  return timed && par.gap ? timedRange(pt, timed, p0, p1, k, v, par, out, post) : orderRange(pt, p0, p1, k, v, par, out, post);
}

function orderRange(pt: PatternArrays, p0: number, p1: number, k: number, v: number, par: StepParameters, out: StepSums, post: Float64Array | null): number {
  const ll = new Float64Array(k), logW = par.logW, logT = par.logT, nextCounts = out.counts, nextWeights = out.weights;
  let total = 0;
  const vv = v * v;
  for (let p = p0; p < p1; p++) {
    const lo = pt.offsets[p]!, hi = pt.offsets[p + 1]!;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let x = logW[c]!;
      const base = c * vv;
      for (let j = lo; j < hi; j++) x += pt.count[j]! * logT[base + pt.cell[j]!]!;
      ll[c] = x;
      if (x > max) max = x;
    }
    let z = 0;
    for (let c = 0; c < k; c++) z += (ll[c] = Math.exp(ll[c]! - max));
    const w = pt.weight[p]!;
    total += w * (max + Math.log(z));
    for (let c = 0; c < k; c++) {
      const r = ll[c]! / z;
      if (post) post[p * k + c] = r;
      const rw = r * w;
      if (rw < 1e-300) continue;
      nextWeights[c]! += rw;
      const base = c * vv;
      for (let j = lo; j < hi; j++) nextCounts[base + pt.cell[j]!]! += rw * pt.count[j]!;
    }
  }
  return total;
}

/**
 * The E-step with timing, one pass per distinct pattern: its chain terms once, then each of its sessions' gap
 * terms; responsibilities are summed per pattern for the kernel counts.
 */
function timedRange(pt: PatternArrays, timed: TimedInput, p0: number, p1: number, k: number, v: number, par: StepParameters, out: StepSums, post: Float64Array | null): number {
  const vv = v * v, g = timed.g, groups = g.groups, gap = par.gap!;
  // hot loops read locals only (typed arrays hoisted out of the objects)
  const pOff = pt.offsets, pCell = pt.cell, pCount = pt.count, logW = par.logW, logT = par.logT;
  const members = timed.by.members, bySession = timed.by.bySession, acc = out.gapAcc, a = gap.a, b = gap.b, mean = gap.mean;
  const markov = new Float64Array(k), ll = new Float64Array(k), resp = new Float64Array(k), nextCounts = out.counts, nextWeights = out.weights;
  const gOff = g.offsets, gGroup = g.group, gN = g.n, gSum = g.sum, gSumSq = g.sumSq;
  let total = 0;
  for (let p = p0; p < p1; p++) {
    const lo = pOff[p]!, hi = pOff[p + 1]!;
    for (let c = 0; c < k; c++) {
      let x = logW[c]!;
      const base = c * vv;
      for (let j = lo; j < hi; j++) x += pCount[j]! * logT[base + pCell[j]!]!;
      markov[c] = x;
      resp[c] = 0;
    }
    for (let m = members[p]!; m < members[p + 1]!; m++) {
      const s = bySession[m]!, glo = gOff[m]!, ghi = gOff[m + 1]!;
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        // Σ ln N(x; μ, σ²) from the sufficient statistics: n·a − b·(Σx² − 2μΣx + nμ²)
        let x = markov[c]!;
        for (let e = glo, base = c * groups; e < ghi; e++) {
          const i = base + gGroup[e]!, n = gN[e]!, mu = mean[i]!;
          x += n * a[i]! - b[i]! * (gSumSq[e]! - 2 * mu * gSum[e]! + n * mu * mu);
        }
        ll[c] = x;
        if (x > max) max = x;
      }
      let z = 0;
      for (let c = 0; c < k; c++) z += (ll[c] = Math.exp(ll[c]! - max));
      total += max + Math.log(z);
      for (let c = 0; c < k; c++) {
        const r = ll[c]! / z;
        if (post) post[s * k + c] = r;
        if (r < 1e-300) continue;
        resp[c]! += r;
        for (let e = glo, i0 = 3 * c * groups; e < ghi; e++) {
          const i = i0 + 3 * gGroup[e]!;
          acc[i]! += r * gN[e]!;
          acc[i + 1]! += r * gSum[e]!;
          acc[i + 2]! += r * gSumSq[e]!;
        }
      }
    }
    for (let c = 0; c < k; c++) {
      const rw = resp[c]!;
      if (rw < 1e-300) continue;
      nextWeights[c]! += rw;
      const base = c * vv;
      for (let j = lo; j < hi; j++) nextCounts[base + pCell[j]!]! += rw * pCount[j]!;
    }
  }
  return total;
}

/** Group sessions by pattern (`of[s]` = pattern of session s). */
export function patternMembers(of: Int32Array, patterns: number): PatternMembers {
  const sessions = of.length, members = new Int32Array(patterns + 1), bySession = new Int32Array(sessions);
  for (let s = 0; s < sessions; s++) members[of[s]! + 1]!++;
  for (let p = 0; p < patterns; p++) members[p + 1]! += members[p]!;
  const cursor = members.slice(0, patterns);
  for (let s = 0; s < sessions; s++) bySession[cursor[of[s]!]!++] = s;
  return { members, bySession };
}

/**
 * The gap statistics re-laid in member order: offsets[m] .. offsets[m + 1] are the entries of session
 * bySession[m], in the session's own order (so every sum is the same as over the original layout); in shared
 * memory when helper threads will read them.
 */
export function memberGaps(g: SessionGaps, by: PatternMembers, shared: boolean): SessionGaps {
  const sessions = by.bySession.length, entries = g.group.length;
  const i32 = (n: number) => (shared ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n));
  const f64 = (n: number) => (shared ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n));
  const offsets = i32(sessions + 1), group = i32(entries), n = f64(entries), sum = f64(entries), sumSq = f64(entries);
  for (let m = 0, at = 0; m < sessions; m++) {
    const s = by.bySession[m]!, lo = g.offsets[s]!, hi = g.offsets[s + 1]!;
    group.set(g.group.subarray(lo, hi), at);
    n.set(g.n.subarray(lo, hi), at);
    sum.set(g.sum.subarray(lo, hi), at);
    sumSq.set(g.sumSq.subarray(lo, hi), at);
    at += hi - lo;
    offsets[m + 1] = at;
  }
  return { mode: g.mode, groups: g.groups, offsets, group, n, sum, sumSq };
}
