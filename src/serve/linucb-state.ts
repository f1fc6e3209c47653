/**
 * Disjoint LinUCB (Li et al., 2010) for `serve`, on the simulator's math: each arm a (a markup) keeps
 * A_a = λI + Σ x xᵀ and b_a = Σ r·x; the arm maximising θ_aᵀx + α·√(xᵀA_a⁻¹x), θ_a = A_a⁻¹b_a, is
 * chosen, ties broken at random. A_a⁻¹ is kept and updated by Sherman–Morrison (src/sim/policies).
 * The simulator's policy is welded to its market loop, so the state lives here; what is new is the
 * split needed to share it: the sums Σ x xᵀ, Σ r x, n are plain additive data (what Redis holds), and
 * every local update is also recorded in `pending` until it has been added to the shared copy.
 */
import { quadraticForm, scaledIdentity, shermanMorrisonUpdate } from '../sim/policies/sherman-morrison.js';
import type { Rng } from '../stats/rng.js';

export interface LinUcbParams {
  /** the arms' markups */
  arms: number[];
  /** context dimension d */
  dimension: number;
  /** exploration α */
  alpha: number;
  /** ridge λ */
  ridge: number;
}

/** Additive statistics of all arms: xx[a·d² + r·d + c] = Σ x_r x_c, xr[a·d + r] = Σ reward·x_r, n[a] = count. */
export interface LinUcbSums {
  xx: Float64Array;
  xr: Float64Array;
  n: Float64Array;
}

/** All-zero sums for `arms` arms of dimension d. */
export function zeroSums(arms: number, d: number): LinUcbSums {
  return { xx: new Float64Array(arms * d * d), xr: new Float64Array(arms * d), n: new Float64Array(arms) };
}

function addInto(into: LinUcbSums, from: LinUcbSums): void {
  for (let i = 0; i < into.xx.length; i++) into.xx[i]! += from.xx[i]!;
  for (let i = 0; i < into.xr.length; i++) into.xr[i]! += from.xr[i]!;
  for (let i = 0; i < into.n.length; i++) into.n[i]! += from.n[i]!;
}

/**
 * Inverse of a symmetric positive definite d×d row-major matrix by Gauss–Jordan elimination with
 * partial pivoting (d is small: O(d³) once per shared-state refresh, never per request).
 * @example invertSpd(Float64Array.of(2, 0, 0, 4), 2) // [0.5, 0, 0, 0.25]
 */
export function invertSpd(m: Float64Array, d: number): Float64Array {
  const a = m.slice(), inv = scaledIdentity(d);
  for (let col = 0; col < d; col++) {
    let p = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]!) > Math.abs(a[p * d + col]!)) p = r;
    if (p !== col) for (let c = 0; c < d; c++) {
      [a[col * d + c], a[p * d + c]] = [a[p * d + c]!, a[col * d + c]!];
      [inv[col * d + c], inv[p * d + c]] = [inv[p * d + c]!, inv[col * d + c]!];
    }
    const piv = a[col * d + col]!;
    for (let c = 0; c < d; c++) {
      a[col * d + c]! /= piv;
      inv[col * d + c]! /= piv;
    }
    for (let r = 0; r < d; r++) {
      const f = a[r * d + col]!;
      if (r === col || f === 0) continue;
      for (let c = 0; c < d; c++) {
        a[r * d + c]! -= f * a[col * d + c]!;
        inv[r * d + c]! -= f * inv[col * d + c]!;
      }
    }
  }
  return inv;
}

export class LinUcbState {
  readonly d: number;
  /** sums last read from the shared store, plus writes it acknowledged since (zero without a store) */
  private shared: LinUcbSums;
  /** updates being added to the shared store right now */
  private inflight: LinUcbSums | null = null;
  /** local updates not yet sent to the shared store */
  private pending: LinUcbSums;
  private ainv: Float64Array[];
  private readonly theta: Float64Array;
  private thetaStale = true;
  private readonly scratch: Float64Array;
  /** choose's arm scores, rewritten by every call */
  private readonly scores: Float64Array;

  constructor(readonly params: LinUcbParams) {
    const k = params.arms.length, d = (this.d = params.dimension);
    this.shared = zeroSums(k, d);
    this.pending = zeroSums(k, d);
    this.ainv = params.arms.map(() => scaledIdentity(d, 1 / params.ridge));
    this.theta = new Float64Array(k * d);
    this.scratch = new Float64Array(d);
    this.scores = new Float64Array(params.arms.length);
  }

  /**
   * The arm to play for context x: argmax θ_aᵀx + α√(xᵀA_a⁻¹x), ties (e.g. before any data) at random.
   * @example const arm = state.choose(x, rng); const markup = state.params.arms[arm]
   */
  choose(x: Float64Array, rng: Rng): number {
    const scores = this.ucbScores(x, this.scores);
    let best = 0, bestScore = -Infinity, ties = 0;
    for (let a = 0; a < scores.length; a++) {
      const score = scores[a]!;
      if (score > bestScore + 1e-12) { bestScore = score; best = a; ties = 1; }
      else if (score >= bestScore - 1e-12 && rng.next() * ++ties < 1) best = a;
    }
    return best;
  }

  /** Each arm's upper confidence bound θ_aᵀx + α√(xᵀA_a⁻¹x) for context x. */
  ucbScores(x: Float64Array, out: Float64Array = new Float64Array(this.params.arms.length)): Float64Array {
    const d = this.d;
    if (this.thetaStale) this.refreshTheta();
    for (let a = 0; a < out.length; a++) {
      let mean = 0;
      for (let c = 0; c < d; c++) mean += this.theta[a * d + c]! * x[c]!;
      out[a] = mean + this.params.alpha * Math.sqrt(Math.max(0, quadraticForm(this.ainv[a]!, x, d)));
    }
    return out;
  }

  /** Learn from one outcome: A_a += x xᵀ (Sherman–Morrison on A_a⁻¹), b_a += r x; recorded as pending. */
  update(arm: number, x: Float64Array, reward: number): void {
    const d = this.d, p = this.pending;
    shermanMorrisonUpdate(this.ainv[arm]!, x, d, this.scratch);
    for (let r = 0; r < d; r++) {
      p.xr[arm * d + r]! += reward * x[r]!;
      for (let c = 0; c < d; c++) p.xx[arm * d * d + r * d + c]! += x[r]! * x[c]!;
    }
    p.n[arm]!++;
    this.thetaStale = true;
  }

  /** Move the pending updates in flight and return them (null when there are none or a write is in flight). */
  beginWrite(): LinUcbSums | null {
    if (this.inflight !== null || this.pending.n.every((v) => v === 0)) return null;
    this.inflight = this.pending;
    this.pending = zeroSums(this.params.arms.length, this.d);
    return this.inflight;
  }

  /** The updates in flight whose write has not been confirmed (to retry the same write), or null. */
  inFlight(): LinUcbSums | null {
    return this.inflight;
  }

  /** The shared store added the in-flight updates (ok) or the write surely failed (they are pending again). */
  endWrite(ok: boolean): void {
    if (this.inflight === null) return;
    addInto(ok ? this.shared : this.pending, this.inflight);
    this.inflight = null;
  }

  /** Adopt sums read from the shared store; the local model becomes shared + in flight + pending, re-inverted. */
  adoptShared(sums: LinUcbSums): void {
    this.shared = sums;
    const total = this.total();
    const d = this.d, lambda = this.params.ridge;
    this.ainv = this.params.arms.map((_, a) => {
      const m = total.xx.slice(a * d * d, (a + 1) * d * d);
      for (let i = 0; i < d; i++) m[i * d + i]! += lambda;
      return invertSpd(m, d);
    });
    this.thetaStale = true;
  }

  /** Everything this process knows: shared + in flight + pending. */
  total(): LinUcbSums {
    const t = zeroSums(this.params.arms.length, this.d);
    addInto(t, this.shared);
    if (this.inflight !== null) addInto(t, this.inflight);
    addInto(t, this.pending);
    return t;
  }

  /** A copy of the sums last known to be in the shared store. */
  sharedSums(): LinUcbSums {
    const t = zeroSums(this.params.arms.length, this.d);
    addInto(t, this.shared);
    return t;
  }

  /** Updates not yet in the shared store (pending and in flight). */
  unsharedCount(): number {
    let n = 0;
    for (const v of this.pending.n) n += v;
    if (this.inflight !== null) for (const v of this.inflight.n) n += v;
    return n;
  }

  private refreshTheta(): void {
    const k = this.params.arms.length, d = this.d;
    const xr = this.total().xr;
    for (let a = 0; a < k; a++) {
      const m = this.ainv[a]!;
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += m[r * d + c]! * xr[a * d + c]!;
        this.theta[a * d + r] = s;
      }
    }
    this.thetaStale = false;
  }
}
