/**
 * A finite mixture of first-order Markov chains fitted by EM (docs/method.md, "Session clusters"; Cadez et al.
 * 2003, the model of R's clickstream::clusterClickstreams' successors). Session s has likelihood
 * Σ_c π_c Π_(a,b) T_c(b | a)^n_s(a,b), `<start>`/`<end>` included so the first event and the length count.
 * E-step: posteriors r_sc ∝ π_c·p(s | c); M-step: π_c = mean r_sc, T_c(b | a) ∝ β + Σ_s r_sc·n_s(a, b)
 * (a Dirichlet(β) MAP, β = 0.01, no mass into `<start>`). Identical sessions are fitted once with a weight.
 * With `gaps` (gap-emission.ts) each cluster also emits the session's log inter-event gaps from Gaussians, so
 * p(s | c) gains Π N(x; μ_cg, σ²_cg): a mixture of Markov chains with timing (semi-Markov dwell times per state).
 * Seeded restarts run a few iterations each and the best continues to convergence; k is chosen by BIC = −2LL + p·ln S,
 * p = (k − 1) + k·Σ_a (observed successors of a − 1) + 2k·(timing groups with a gap).
 */
import { UsageError } from '../errors.js';
import { densityTerms, pooledGaps, updateGaps, type GapParameters, type SessionGaps, type TimingMode } from './gap-emission.js';
import type { SessionTransitions } from '../kernels/session-transitions.js';
import type { Rng } from '../stats/rng.js';

export interface MixtureOptions {
  /** seeded restarts per k, each run 15 iterations before the best continues (default 5) */
  restarts?: number;
  /** EM iterations at most (default 500) */
  maxIterations?: number;
  /** stop when the log-likelihood gains less than tol·|LL| (default 1e-5) */
  tolerance?: number;
  /** Dirichlet pseudo-count β per allowed transition (default 0.01) */
  prior?: number;
  /** the `<start>` state: never a destination, so no prior mass goes there (−1: none) */
  start?: number;
  /** per-session log-gap statistics to emit as well (null: event order only) */
  gaps?: SessionGaps | null;
}

export interface MarkovMixture {
  k: number;
  /** states V (kernels are k × V × V, row-major per cluster) */
  size: number;
  weights: Float64Array;
  kernels: Float64Array;
  /** timing emitted (`none` also when the sessions had no usable gap) */
  timing: TimingMode;
  /** timing groups G (1 for `gap`, V for `dwell`, 0 for `none`) */
  gapGroups: number;
  /** k × G mean and variance of ln(gap in s) per cluster and group (empty without timing) */
  gapMean: Float64Array;
  gapVariance: Float64Array;
  logLikelihood: number;
  parameters: number;
  bic: number;
  iterations: number;
  converged: boolean;
  /** restart (0-based) that won */
  restart: number;
}

export interface MixtureFit {
  model: MarkovMixture;
  /** S × k posteriors, row-major */
  posterior: Float64Array;
  /** most likely cluster per session */
  cluster: Int32Array;
  /** BIC (and LL) of each k tried */
  selection: { k: number; logLikelihood: number; bic: number; parameters: number }[];
}

export const MIXTURE_DEFAULTS = { restarts: 5, maxIterations: 500, tolerance: 1e-5, prior: 0.01 } as const;

/** Sessions collapsed to distinct transition lists: pattern p has weight w_p and cells/counts of its pairs. */
interface Patterns {
  weight: Float64Array;
  offsets: Int32Array;
  cell: Int32Array;
  count: Float64Array;
  /** pattern of each session */
  of: Int32Array;
}

/** Do sessions a and b have the same (pair, count) lists? */
function samePairs(t: SessionTransitions, a: number, b: number): boolean {
  const la = t.pairOffsets[a]!, lb = t.pairOffsets[b]!, n = t.pairOffsets[a + 1]! - la;
  if (n !== t.pairOffsets[b + 1]! - lb) return false;
  for (let j = 0; j < n; j++) if (t.src[la + j] !== t.src[lb + j] || t.dst[la + j] !== t.dst[lb + j] || t.count[la + j] !== t.count[lb + j]) return false;
  return true;
}

function collapse(t: SessionTransitions): Patterns {
  const sessions = t.events.length, v = t.size;
  // a 53-bit hash of each session's sorted pair list picks a bucket; equality is then checked exactly
  const buckets = new Map<number, number[]>(), of = new Int32Array(sessions);
  const firstSession: number[] = [], weight: number[] = [];
  for (let s = 0; s < sessions; s++) {
    let h1 = 0x811c9dc5, h2 = 0x01000193;
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
      const x = (t.src[j]! * 65_537 + t.dst[j]! * 257 + t.count[j]!) | 0;
      h1 = Math.imul(h1 ^ x, 0x01000193);
      h2 = Math.imul(h2 ^ (x >>> 7) ^ h1, 0x5bd1e995);
    }
    const key = (h1 >>> 0) * 2_097_152 + ((h2 >>> 0) & 0x1fffff);
    let bucket = buckets.get(key), p = -1;
    if (bucket) for (const q of bucket) if (samePairs(t, firstSession[q]!, s)) p = q;
    if (p < 0) {
      p = firstSession.length;
      firstSession.push(s);
      weight.push(0);
      if (bucket) bucket.push(p);
      else buckets.set(key, (bucket = [p]));
    }
    weight[p]!++;
    of[s] = p;
  }
  const offsets = new Int32Array(firstSession.length + 1);
  firstSession.forEach((s, p) => (offsets[p + 1] = offsets[p]! + t.pairOffsets[s + 1]! - t.pairOffsets[s]!));
  const cell = new Int32Array(offsets[firstSession.length]!), count = new Float64Array(cell.length);
  firstSession.forEach((s, p) => {
    for (let j = t.pairOffsets[s]!, i = offsets[p]!; j < t.pairOffsets[s + 1]!; j++, i++) {
      cell[i] = t.src[j]! * v + t.dst[j]!;
      count[i] = t.count[j]!;
    }
  });
  return { weight: Float64Array.from(weight), offsets, cell, count, of };
}

/** Normalise k stacked V×V count matrices into log-kernels (rows without mass stay uniform over allowed states). */
function logKernels(counts: Float64Array, k: number, v: number, prior: number, start: number, out: Float64Array): void {
  for (let r = 0; r < k * v; r++) {
    let total = 0;
    for (let b = 0; b < v; b++) total += counts[r * v + b]! + (b === start ? 0 : prior);
    for (let b = 0; b < v; b++) {
      const x = counts[r * v + b]! + (b === start ? 0 : prior);
      out[r * v + b] = x > 0 ? Math.log(x / total) : -Infinity;
    }
  }
}

/** One EM pass: E-step with the current log-parameters, accumulating the M-step counts; returns the LL. */
function emStep(pt: Patterns, k: number, v: number, logW: Float64Array, logT: Float64Array, nextCounts: Float64Array, nextWeights: Float64Array, post: Float64Array | null): number {
  const ll = new Float64Array(k);
  let total = 0;
  nextCounts.fill(0);
  nextWeights.fill(0);
  const vv = v * v;
  for (let p = 0; p < pt.weight.length; p++) {
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

/** Scratch of the timed E-step, allocated once per EM run: sessions grouped by pattern, and per-cluster sums. */
interface TimedScratch {
  /** sessions of pattern p are bySession[members[p] .. members[p + 1]) */
  members: Int32Array;
  bySession: Int32Array;
  /** Σ r·n, Σ r·Σx, Σ r·Σx² per (cluster, group) */
  gapAcc: Float64Array;
  a: Float64Array;
  b: Float64Array;
  markov: Float64Array;
  ll: Float64Array;
  resp: Float64Array;
}

function timedScratch(pt: Patterns, k: number, g: SessionGaps): TimedScratch {
  const patterns = pt.weight.length, sessions = pt.of.length;
  // counting sort of sessions by pattern, so one pass handles a pattern's chain terms and its sessions' gaps together
  const members = new Int32Array(patterns + 1), bySession = new Int32Array(sessions);
  for (let s = 0; s < sessions; s++) members[pt.of[s]! + 1]!++;
  for (let p = 0; p < patterns; p++) members[p + 1]! += members[p]!;
  const cursor = members.slice(0, patterns);
  for (let s = 0; s < sessions; s++) bySession[cursor[pt.of[s]!]!++] = s;
  return { members, bySession, gapAcc: new Float64Array(3 * k * g.groups), a: new Float64Array(k * g.groups), b: new Float64Array(k * g.groups), markov: new Float64Array(k), ll: new Float64Array(k), resp: new Float64Array(k) };
}

/**
 * The E-step with timing, one pass per distinct pattern: its chain terms once, then each of its sessions' gap
 * terms; responsibilities are summed per pattern for the kernel counts. `post` (S × k) receives the posteriors.
 */
function emStepTimed(pt: Patterns, g: SessionGaps, k: number, v: number, st: EmState, w: TimedScratch, nextCounts: Float64Array, nextWeights: Float64Array, post: Float64Array | null): number {
  const vv = v * v, gap = st.gap!, patterns = pt.weight.length, groups = g.groups;
  // hot loops read locals only (typed arrays hoisted out of the objects)
  const pOff = pt.offsets, pCell = pt.cell, pCount = pt.count, logW = st.logW, logT = st.logT;
  const members = w.members, bySession = w.bySession, acc = w.gapAcc, a = w.a, b = w.b, mean = gap.mean, markov = w.markov, ll = w.ll, resp = w.resp;
  const gOff = g.offsets, gGroup = g.group, gN = g.n, gSum = g.sum, gSumSq = g.sumSq;
  densityTerms(gap, a, b);
  acc.fill(0);
  nextCounts.fill(0);
  nextWeights.fill(0);
  let total = 0;
  for (let p = 0; p < patterns; p++) {
    const lo = pOff[p]!, hi = pOff[p + 1]!;
    for (let c = 0; c < k; c++) {
      let x = logW[c]!;
      const base = c * vv;
      for (let j = lo; j < hi; j++) x += pCount[j]! * logT[base + pCell[j]!]!;
      markov[c] = x;
      resp[c] = 0;
    }
    for (let m = members[p]!; m < members[p + 1]!; m++) {
      const s = bySession[m]!, glo = gOff[s]!, ghi = gOff[s + 1]!;
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

/** Free parameters of a k-mixture: (k − 1) + k·Σ_a (observed successors of a − 1) + 2k per timing group with a gap. */
function parameterCount(pt: Patterns, v: number, k: number, gap: GapParameters | null): number {
  const seen = new Uint8Array(v * v);
  for (let i = 0; i < pt.cell.length; i++) seen[pt.cell[i]!] = 1;
  let free = 0;
  for (let a = 0; a < v; a++) {
    let n = 0;
    for (let b = 0; b < v; b++) n += seen[a * v + b]!;
    if (n > 0) free += n - 1;
  }
  return k - 1 + k * free + 2 * k * (gap ? gap.observedGroups : 0);
}

interface EmState {
  logW: Float64Array;
  logT: Float64Array;
  gap: GapParameters | null;
  ll: number;
  iterations: number;
  converged: boolean;
}

type Pooled = ReturnType<typeof pooledGaps>;

/**
 * Seed a run: k seed sessions drawn at random (by pattern weight; uniformly over sessions with timing), each over
 * a light copy of the pooled chain (and of the pooled gap Gaussians, pulled towards the seed's own gaps).
 */
function seedRun(pt: Patterns, v: number, k: number, o: Required<MixtureOptions>, rng: Rng, pooled: Pooled | null): EmState {
  const vv = v * v, patterns = pt.weight.length, g = o.gaps;
  const pooled2 = new Float64Array(vv);
  for (let p = 0; p < patterns; p++) for (let j = pt.offsets[p]!; j < pt.offsets[p + 1]!; j++) pooled2[pt.cell[j]!]! += pt.weight[p]! * pt.count[j]!;
  const rowTotal = new Float64Array(v);
  for (let i = 0; i < vv; i++) rowTotal[Math.floor(i / v)]! += pooled2[i]!;
  const counts = new Float64Array(k * vv);
  let totalWeight = 0;
  for (let p = 0; p < patterns; p++) totalWeight += pt.weight[p]!;
  const gap: GapParameters | null = g && pooled ? { ...pooled, mean: new Float64Array(k * g.groups), variance: new Float64Array(k * g.groups) } : null;
  for (let c = 0; c < k; c++) {
    let p = 0;
    if (gap && g) {
      const s = Math.min(pt.of.length - 1, Math.floor(rng.next() * pt.of.length));
      p = pt.of[s]!;
      for (let h = 0; h < g.groups; h++) {
        gap.mean[c * g.groups + h] = gap.pooledMean[h]!;
        gap.variance[c * g.groups + h] = gap.pooledVariance[h]!;
      }
      for (let e = g.offsets[s]!; e < g.offsets[s + 1]!; e++) {
        const h = g.group[e]!;
        gap.mean[c * g.groups + h] = (gap.pooledMean[h]! + 2 * g.sum[e]!) / (1 + 2 * g.n[e]!);
      }
    } else {
      let u = rng.next() * totalWeight;
      while (p < patterns - 1 && (u -= pt.weight[p]!) >= 0) p++;
    }
    for (let i = 0; i < vv; i++) counts[c * vv + i] = rowTotal[Math.floor(i / v)]! > 0 ? pooled2[i]! / rowTotal[Math.floor(i / v)]! : 0;
    for (let j = pt.offsets[p]!; j < pt.offsets[p + 1]!; j++) counts[c * vv + pt.cell[j]!]! += 2 * pt.count[j]!;
  }
  const logT = new Float64Array(k * vv);
  logKernels(counts, k, v, o.prior, o.start, logT);
  return { logW: new Float64Array(k).fill(-Math.log(k)), logT, gap, ll: -Infinity, iterations: 0, converged: false };
}

/** Run EM from a state for at most `budget` more iterations (or until converged), in place. */
function runEm(pt: Patterns, v: number, k: number, o: Required<MixtureOptions>, st: EmState, budget: number): EmState {
  const counts = new Float64Array(k * v * v), weights = new Float64Array(k);
  const scratch = st.gap && o.gaps ? timedScratch(pt, k, o.gaps) : null;
  let totalWeight = 0;
  for (let p = 0; p < pt.weight.length; p++) totalWeight += pt.weight[p]!;
  for (let i = 0; i < budget && st.iterations < o.maxIterations; i++) {
    const ll = scratch ? emStepTimed(pt, o.gaps!, k, v, st, scratch, counts, weights, null) : emStep(pt, k, v, st.logW, st.logT, counts, weights, null);
    st.iterations++;
    for (let c = 0; c < k; c++) st.logW[c] = Math.log(Math.max(weights[c]!, 1e-300) / totalWeight);
    logKernels(counts, k, v, o.prior, o.start, st.logT);
    if (scratch) updateGaps(scratch.gapAcc, k, st.gap!);
    const gain = ll - st.ll;
    st.ll = ll;
    if (gain < o.tolerance * Math.abs(ll)) {
      st.converged = true;
      break;
    }
  }
  return st;
}

// Short runs from every seed, then the best one to convergence ("small EM", Biernacki, Celeux & Govaert 2003).
const WARMUP_ITERATIONS = 15;

/**
 * Fit mixtures for each k in `ks` (seeded restarts each) and keep the k with the lowest BIC.
 * @example fitMarkovMixture(prepared.transitions, [2, 3, 4], createRng(42), { start: prepared.states.start }).model.k
 */
export function fitMarkovMixture(t: SessionTransitions, ks: readonly number[], rng: Rng, opts: MixtureOptions = {}): MixtureFit {
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new UsageError(`--k must list positive integers (got ${ks.join(', ')})`);
  const o: Required<MixtureOptions> = { ...MIXTURE_DEFAULTS, start: -1, gaps: null, ...opts };
  const v = t.size, pt = collapse(t), sessions = t.events.length;
  if (sessions === 0) throw new UsageError('clusters need at least one session');
  if (o.gaps && o.gaps.offsets.length - 1 !== sessions) throw new RangeError(`gap statistics cover ${o.gaps.offsets.length - 1} sessions, transitions ${sessions}`);
  let pooled = o.gaps ? pooledGaps(o.gaps) : null;
  // no session has a usable gap: nothing to emit, fit event order alone
  if (pooled && pooled.observedGroups === 0) {
    o.gaps = null;
    pooled = null;
  }
  let best: { model: MarkovMixture; state: EmState } | null = null;
  const selection: MixtureFit['selection'] = [];
  for (const k of ks) {
    let top: (EmState & { restart: number }) | null = null;
    for (let r = 0; r < o.restarts; r++) {
      const f = runEm(pt, v, k, o, seedRun(pt, v, k, o, rng.fork(), pooled), WARMUP_ITERATIONS);
      if (!top || f.ll > top.ll) top = { ...f, restart: r };
    }
    if (!top!.converged) runEm(pt, v, k, o, top!, o.maxIterations);
    const parameters = parameterCount(pt, v, k, top!.gap), bic = -2 * top!.ll + parameters * Math.log(sessions);
    selection.push({ k, logLikelihood: top!.ll, bic, parameters });
    if (!best || bic < best.model.bic) {
      const kernels = Float64Array.from(top!.logT, Math.exp), gap = top!.gap;
      best = {
        model: {
          k, size: v, weights: Float64Array.from(top!.logW, Math.exp), kernels,
          timing: o.gaps ? o.gaps.mode : 'none', gapGroups: o.gaps ? o.gaps.groups : 0, gapMean: gap ? gap.mean.slice() : new Float64Array(0), gapVariance: gap ? gap.variance.slice() : new Float64Array(0),
          logLikelihood: top!.ll, parameters, bic, iterations: top!.iterations, converged: top!.converged, restart: top!.restart,
        },
        state: top!,
      };
    }
  }
  const k = best!.model.k, posterior = new Float64Array(sessions * k), cluster = new Int32Array(sessions);
  if (o.gaps) {
    emStepTimed(pt, o.gaps, k, v, best!.state, timedScratch(pt, k, o.gaps), new Float64Array(k * v * v), new Float64Array(k), posterior);
  } else {
    const patternPost = new Float64Array(pt.weight.length * k);
    emStep(pt, k, v, best!.state.logW, best!.state.logT, new Float64Array(k * v * v), new Float64Array(k), patternPost);
    for (let s = 0; s < sessions; s++) posterior.set(patternPost.subarray(pt.of[s]! * k, pt.of[s]! * k + k), s * k);
  }
  for (let s = 0; s < sessions; s++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (posterior[s * k + c]! > posterior[s * k + arg]!) arg = c;
    cluster[s] = arg;
  }
  return { model: best!.model, posterior, cluster, selection };
}
