/**
 * Per-session agent probability f(τ) for the defended policies and the detection AUC.
 *
 * The kernel gap score of docs/method.md — gap = KL(P_s‖Q_H) − KL(P_s‖Q_A), each KL averaged over the
 * session's source states weighted by how often it left them — equals the mean over the session's
 * transitions of log Q_A(s'|s) − log Q_H(s'|s) (the session's own entropy terms cancel), so scoring is
 * one table lookup per transition. f = σ(gap / T). Sessions with fewer than 2 events get f = 0.5.
 */
import { END, START } from '../events/vocabulary.js';
import { compileKernel } from '../generate/compiled-kernel.js';
import type { Profile } from '../generate/profile.js';
import { sigmoid } from './params.js';

/** Anything that turns a trajectory into an agent probability (a classifier scorer plugs in here). */
export interface SessionScorer {
  readonly kind: string;
  /**
   * @param states the trajectory as indices into the behaviour vocabulary, `<start>` and `<end>` included
   * @param length how many entries of `states` are used
   */
  score(states: Int32Array, length: number): number;
}

/** Class kernels as weights per source row: probabilities (profiles) or raw counts (kernels.json). */
export type KernelRows = Record<string, Record<string, number>>;

export interface GapScorerOptions {
  /** T in f = σ(gap / T) (default 1) */
  temperature: number;
  /** additive (Dirichlet) smoothing per cell (default 0.5, as `phantom kernels`) */
  smoothing: number;
  /** rows given as probabilities are treated as this many observed transitions (default 200) */
  pseudoCount: number;
}

export const GAP_SCORER_DEFAULTS: Readonly<GapScorerOptions> = Object.freeze({ temperature: 1, smoothing: 0.5, pseudoCount: 200 });

/** A profile's kernel as probability rows, with the purchase propensity applied as `generate` does. */
export function profileRows(p: Profile): KernelRows {
  const k = compileKernel(p);
  const rows: KernelRows = {};
  k.states.forEach((s, i) => {
    const row: Record<string, number> = {};
    let prev = 0;
    k.next[i]!.forEach((d, j) => { row[k.states[d]!] = k.cumulative[i]![j]! - prev; prev = k.cumulative[i]![j]!; });
    if (k.next[i]!.length > 0) rows[s] = row;
  });
  return rows;
}

/** log Q_A − log Q_H over `states` × `states` (row-major), each Q smoothed over the shared vocabulary. */
export function logLikelihoodRatios(states: string[], human: KernelRows, agent: KernelRows, o: { smoothing: number; pseudoCount: number; counts?: boolean }): Float64Array {
  const v = states.length;
  const out = new Float64Array(v * v);
  const destinations = states.filter((s) => s !== START).length;
  const logQ = (rows: KernelRows, src: string, dst: string): number => {
    const row = rows[src] ?? {};
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    const scale = o.counts || total === 0 ? 1 : o.pseudoCount / total;
    return Math.log(((row[dst] ?? 0) * scale + o.smoothing) / (total * scale + o.smoothing * destinations));
  };
  for (let i = 0; i < v; i++) {
    if (states[i] === END) continue;
    for (let j = 0; j < v; j++) if (states[j] !== START) out[i * v + j] = logQ(agent, states[i]!, states[j]!) - logQ(human, states[i]!, states[j]!);
  }
  return out;
}

/**
 * The kernel gap scorer over a behaviour vocabulary.
 * @example const scorer = kernelGapScorer(behaviour.states, profileRows(human), profileRows(agent))
 */
export function kernelGapScorer(states: string[], human: KernelRows, agent: KernelRows, opts: Partial<GapScorerOptions> & { counts?: boolean } = {}): SessionScorer {
  const o = { ...GAP_SCORER_DEFAULTS, ...opts };
  const llr = logLikelihoodRatios(states, human, agent, o);
  const v = states.length;
  return {
    kind: 'kernel-gap',
    score(traj, length) {
      if (length < 4) return 0.5; // <start>, one event, <end>: fewer than 2 events
      let sum = 0;
      for (let k = 1; k < length; k++) sum += llr[traj[k - 1]! * v + traj[k]!]!;
      return sigmoid(sum / (length - 1) / o.temperature);
    },
  };
}
