/**
 * The timing half of the session-cluster mixture (docs/method.md, "Session clusters"): each cluster also emits
 * the log of every inter-event gap x = ln(max(Δt, 1 ms) / 1 s) from a Gaussian — one per cluster (`gap`), or
 * one per cluster and source state, the time spent on event a before the next one (`dwell`, a semi-Markov
 * sojourn time; the last event's dwell is unobserved and left out). Sessions carry only sufficient statistics
 * (n, Σx, Σx²) per group, so the E-step costs one term per (session, group).
 */
import type { EventsTable } from '../events/table.js';
import type { SessionIndex } from '../events/session-index.js';

export const TIMING_MODES = ['dwell', 'gap', 'none'] as const;
/** `dwell`: log-normal time per cluster and source state; `gap`: one log-normal gap per cluster; `none`: event order only. */
export type TimingMode = (typeof TIMING_MODES)[number];

/** Gaps shorter than this (equal timestamps) are read as this long, so ln stays finite. */
export const MIN_GAP_MS = 1;
/** Pseudo-observations at the pooled mean and variance added to every (cluster, group) in the M-step. */
export const GAP_PSEUDO_COUNT = 1;
const MIN_VARIANCE = 1e-6;

/** Per session, per timing group: gap count n, Σx and Σx² of x = ln(gap in seconds). */
export interface SessionGaps {
  mode: Exclude<TimingMode, 'none'>;
  /** groups: 1 (`gap`) or the number of states (`dwell`, group = source state) */
  groups: number;
  /** entries of session s are [offsets[s], offsets[s + 1]) */
  offsets: Int32Array;
  group: Int32Array;
  n: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * Log-gap statistics of every session, over the same events (state ≥ 0) and order the transitions count.
 * Gaps with a missing timestamp on either side are skipped.
 * @example sessionLogGaps(table, prepared.index, prepared.states.stateOf, prepared.states.vocabulary.length, 'dwell')
 */
export function sessionLogGaps(table: EventsTable, index: SessionIndex, stateOf: Int32Array, states: number, mode: SessionGaps['mode']): SessionGaps {
  const { order, starts: ranges } = index, ts = table.ts, sessions = index.nSessions;
  const groups = mode === 'gap' ? 1 : states;
  const offsets = new Int32Array(sessions + 1);
  const group: number[] = [], n: number[] = [], sum: number[] = [], sumSq: number[] = [];
  // per-session accumulators indexed by group, reset through the list of groups touched
  const at = new Int32Array(groups).fill(-1);
  for (let s = 0; s < sessions; s++) {
    const first = group.length;
    let prevTs = NaN, prevState = -1;
    for (let j = ranges[s]!; j < ranges[s + 1]!; j++) {
      const row = order[j]!, state = stateOf[row]!;
      if (state < 0) continue;
      const t = ts[row]!;
      if (prevState >= 0 && !Number.isNaN(t) && !Number.isNaN(prevTs)) {
        const x = Math.log(Math.max(t - prevTs, MIN_GAP_MS) / 1000), g = mode === 'gap' ? 0 : prevState;
        let e = at[g]!;
        if (e < 0) {
          at[g] = e = group.length;
          group.push(g);
          n.push(0);
          sum.push(0);
          sumSq.push(0);
        }
        n[e]!++;
        sum[e]! += x;
        sumSq[e]! += x * x;
      }
      prevTs = t;
      prevState = state;
    }
    for (let e = first; e < group.length; e++) at[group[e]!] = -1;
    offsets[s + 1] = group.length;
  }
  return { mode, groups, offsets, group: Int32Array.from(group), n: Float64Array.from(n), sum: Float64Array.from(sum), sumSq: Float64Array.from(sumSq) };
}

/** Gaussian parameters of the log gap per (cluster, group), row-major k × G, and their pooled values per group. */
export interface GapParameters {
  mean: Float64Array;
  variance: Float64Array;
  pooledMean: Float64Array;
  pooledVariance: Float64Array;
  /** groups with at least one gap (each adds 2 free parameters per cluster) */
  observedGroups: number;
}

/** Pooled per-group mean and variance over all sessions (the prior of the M-step and the seeds). */
export function pooledGaps(g: SessionGaps, sessionWeight: (s: number) => number = () => 1): Pick<GapParameters, 'pooledMean' | 'pooledVariance' | 'observedGroups'> {
  const w = new Float64Array(g.groups), s1 = new Float64Array(g.groups), s2 = new Float64Array(g.groups);
  for (let s = 0; s < g.offsets.length - 1; s++) {
    const r = sessionWeight(s);
    for (let e = g.offsets[s]!; e < g.offsets[s + 1]!; e++) {
      w[g.group[e]!]! += r * g.n[e]!;
      s1[g.group[e]!]! += r * g.sum[e]!;
      s2[g.group[e]!]! += r * g.sumSq[e]!;
    }
  }
  const pooledMean = new Float64Array(g.groups), pooledVariance = new Float64Array(g.groups).fill(1);
  let observedGroups = 0;
  for (let h = 0; h < g.groups; h++) {
    if (w[h]! <= 0) continue;
    observedGroups++;
    pooledMean[h] = s1[h]! / w[h]!;
    pooledVariance[h] = Math.max(s2[h]! / w[h]! - pooledMean[h]! ** 2, MIN_VARIANCE);
  }
  return { pooledMean, pooledVariance, observedGroups };
}

/**
 * M-step from responsibility-weighted sums acc[(c·G + g)·3 + {0, 1, 2}] = Σ r·n, Σ r·Σx, Σ r·Σx², with
 * GAP_PSEUDO_COUNT pseudo-observations of mean μ₀_g and variance σ₀²_g:
 * μ = (Σ r·Σx + κμ₀)/(Σ r·n + κ), σ² = (Σ r·Σ(x − μ)² + κ(σ₀² + (μ₀ − μ)²))/(Σ r·n + κ).
 */
export function updateGaps(acc: Float64Array, k: number, p: GapParameters): void {
  const groups = p.pooledMean.length, kappa = GAP_PSEUDO_COUNT;
  for (let c = 0; c < k; c++) {
    for (let h = 0; h < groups; h++) {
      const i = c * groups + h, w = acc[3 * i]!, s1 = acc[3 * i + 1]!, s2 = acc[3 * i + 2]!, m0 = p.pooledMean[h]!;
      const mu = (s1 + kappa * m0) / (w + kappa);
      p.mean[i] = mu;
      p.variance[i] = Math.max((s2 - 2 * mu * s1 + mu * mu * w + kappa * (p.pooledVariance[h]! + (m0 - mu) ** 2)) / (w + kappa), MIN_VARIANCE);
    }
  }
}

/** Precomputed per (cluster, group): ln N(x; μ, σ²) = a − b·(x − μ)², a = −½ln(2πσ²), b = 1/(2σ²). */
export function densityTerms(p: GapParameters, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < p.mean.length; i++) {
    a[i] = -0.5 * Math.log(2 * Math.PI * p.variance[i]!);
    b[i] = 1 / (2 * p.variance[i]!);
  }
}

/** Σ over session s's gaps of ln N(x; μ_cg, σ²_cg), from its sufficient statistics. */
export function sessionGapLogDensity(g: SessionGaps, s: number, c: number, mean: Float64Array, a: Float64Array, b: Float64Array): number {
  let ll = 0;
  const base = c * g.groups;
  for (let e = g.offsets[s]!; e < g.offsets[s + 1]!; e++) {
    const i = base + g.group[e]!, n = g.n[e]!, mu = mean[i]!;
    ll += n * a[i]! - b[i]! * (g.sumSq[e]! - 2 * mu * g.sum[e]! + n * mu * mu);
  }
  return ll;
}
