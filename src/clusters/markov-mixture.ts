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
import { eStep, memberGaps, patternMembers, type PatternArrays, type PatternMembers, type StepParameters, type StepSums } from './em-step.js';
import { EmThreads } from './em-threads.js';
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
  /**
   * threads of the E-step (default 2; em-threads.ts): results depend on this number only through the order of
   * floating-point sums, and not on the machine's cores; fewer sessions than `threadMinSessions` run on one
   */
  threads?: number;
  /** below this many sessions the E-step runs on one thread whatever `threads` says (default 50,000) */
  threadMinSessions?: number;
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
  /** threads the E-step was split over (1, or `threads` on large inputs), and chunks the helper threads computed */
  threads: number;
  helperChunks: number;
}

export const MIXTURE_DEFAULTS = { restarts: 5, maxIterations: 500, tolerance: 1e-5, prior: 0.01, threads: 2, threadMinSessions: 50_000 } as const;

/** Sessions collapsed to distinct transition lists: pattern p has weight w_p and cells/counts of its pairs. */
interface Patterns extends PatternArrays {
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

/** What every E-step of a fit reads: the patterns, sessions grouped by pattern (with timing), the helper threads. */
interface FitInputs {
  pt: Patterns;
  by: PatternMembers | null;
  /** o.gaps in member order (memberGaps) */
  gaps: SessionGaps | null;
  pool: EmThreads | null;
}

/** One E-step with the state's parameters into `out`, on the helper threads when there are any; returns the LL. */
function step(fi: FitInputs, k: number, v: number, st: EmState, out: StepSums, post: Float64Array | null): number {
  const timed = st.gap && fi.gaps && fi.by ? { g: fi.gaps, by: fi.by } : null;
  let gap: StepParameters['gap'] = null;
  if (timed) {
    gap = { mean: st.gap!.mean, a: new Float64Array(st.gap!.mean.length), b: new Float64Array(st.gap!.mean.length) };
    densityTerms(st.gap!, gap.a, gap.b);
  }
  const par: StepParameters = { logW: st.logW, logT: st.logT, gap };
  return fi.pool && !post ? fi.pool.step(k, par, out) : eStep(fi.pt, timed, 0, fi.pt.weight.length, k, v, par, out, post);
}

function stepSums(k: number, v: number, gaps: SessionGaps | null): StepSums {
  return { counts: new Float64Array(k * v * v), weights: new Float64Array(k), gapAcc: new Float64Array(gaps ? 3 * k * gaps.groups : 0) };
}

/** Run EM from a state for at most `budget` more iterations (or until converged), in place. */
function runEm(fi: FitInputs, v: number, k: number, o: Required<MixtureOptions>, st: EmState, budget: number): EmState {
  const pt = fi.pt, out = stepSums(k, v, o.gaps), weights = out.weights;
  let totalWeight = 0;
  for (let p = 0; p < pt.weight.length; p++) totalWeight += pt.weight[p]!;
  for (let i = 0; i < budget && st.iterations < o.maxIterations; i++) {
    const ll = step(fi, k, v, st, out, null);
    st.iterations++;
    for (let c = 0; c < k; c++) st.logW[c] = Math.log(Math.max(weights[c]!, 1e-300) / totalWeight);
    logKernels(out.counts, k, v, o.prior, o.start, st.logT);
    if (st.gap && o.gaps) updateGaps(out.gapAcc, k, st.gap);
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
  const threads = sessions >= o.threadMinSessions ? Math.max(1, Math.floor(o.threads)) : 1;
  const by = o.gaps ? patternMembers(pt.of, pt.weight.length) : null;
  // the E-step reads the gaps in member order (front to back), allocated shared when helpers will read them too
  const gaps = o.gaps && by ? memberGaps(o.gaps, by, threads > 1) : null;
  const pool = threads > 1 ? EmThreads.open(pt, gaps, by, v, Math.max(...ks), threads) : null;
  try {
    return fitWith({ pt, by, gaps, pool }, ks, v, sessions, o, rng, pooled);
  } finally {
    pool?.close();
  }
}

function fitWith(fi: FitInputs, ks: readonly number[], v: number, sessions: number, o: Required<MixtureOptions>, rng: Rng, pooled: Pooled | null): MixtureFit {
  const pt = fi.pt;
  let best: { model: MarkovMixture; state: EmState } | null = null;
  const selection: MixtureFit['selection'] = [];
  for (const k of ks) {
    let top: (EmState & { restart: number }) | null = null;
    for (let r = 0; r < o.restarts; r++) {
      const f = runEm(fi, v, k, o, seedRun(pt, v, k, o, rng.fork(), pooled), WARMUP_ITERATIONS);
      if (!top || f.ll > top.ll) top = { ...f, restart: r };
    }
    if (!top!.converged) runEm(fi, v, k, o, top!, o.maxIterations);
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
  // the posteriors (one pass, on this thread: each session's own, whatever the threads)
  if (o.gaps) {
    step(fi, k, v, best!.state, stepSums(k, v, o.gaps), posterior);
  } else {
    const patternPost = new Float64Array(pt.weight.length * k);
    step(fi, k, v, best!.state, stepSums(k, v, null), patternPost);
    for (let s = 0; s < sessions; s++) posterior.set(patternPost.subarray(pt.of[s]! * k, pt.of[s]! * k + k), s * k);
  }
  for (let s = 0; s < sessions; s++) {
    let arg = 0;
    for (let c = 1; c < k; c++) if (posterior[s * k + c]! > posterior[s * k + arg]!) arg = c;
    cluster[s] = arg;
  }
  return { model: best!.model, posterior, cluster, selection, threads: fi.pool ? fi.pool.chunks : 1, helperChunks: fi.pool ? fi.pool.helperChunks : 0 };
}
