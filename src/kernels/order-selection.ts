/**
 * Markov order selection per class (docs/method.md, "Order selection"): for k = 1…K the maximum-likelihood
 * log-likelihood LL_k = Σ N(h, b)·ln(N(h, b)/N(h)), its degrees of freedom df_k = Σ_h (observed successors
 * of h − 1), AIC = 2df − 2LL, BIC = df·ln n − 2LL (n = transitions), sequential likelihood-ratio tests
 * 2(LL_{k+1} − LL_k) ~ χ²(df_{k+1} − df_k), and the mean held-out log-likelihood per transition of an
 * α-smoothed fit on a seeded 80/20 split of the sessions. `<start>` padding makes every order predict the
 * same events, so the likelihoods are comparable; the selected order is BIC's (consistent).
 */
import { UsageError } from '../errors.js';
import { chiSquareSf } from '../stats/chi-square.js';
import type { Rng } from '../stats/rng.js';
import { fitClass, CLASSES, type ClassName } from './kernel.js';
import { MAX_ORDER, orderTransitions, type OrderTransitions } from './order-transitions.js';
import type { PreparedSessions } from './prepare.js';
import { holdoutMembers, membersOf } from './prepare.js';

export interface OrderFit {
  order: number;
  logLikelihood: number;
  df: number;
  transitions: number;
  aic: number;
  bic: number;
  /** LRT of this order against the previous one (NaN at order 1) */
  lrt: { statistic: number; df: number; p: number };
  /** mean held-out log-likelihood per transition (nats) */
  heldOut: number;
}

export interface OrderSelection {
  fits: OrderFit[];
  /** BIC's choice: what `selectedOrder` reports */
  selectedOrder: number;
  byCriterion: { lrt: number; aic: number; bic: number; heldOut: number };
  /** sessions fitted / held out */
  sessions: { train: number; test: number };
}

export interface OrderSelectionOptions {
  maxOrder?: number;
  /** significance level of the sequential LRT (default 0.05) */
  level?: number;
  /** share of sessions held out (default 0.2) */
  holdout?: number;
  /** additive smoothing of the held-out predictions */
  smoothing: number;
  rng: Rng;
}

interface Fitted {
  counts: Float64Array;
  rowTotals: Float64Array;
}

function fitCounts(t: OrderTransitions, members: Int32Array): Fitted {
  const counts = fitClass(t, t.count, members, [], t.historyCount).counts.values;
  const v = t.size, rowTotals = new Float64Array(t.historyCount);
  for (let h = 0; h < t.historyCount; h++) for (let b = 0; b < v; b++) rowTotals[h]! += counts[h * v + b]!;
  return { counts, rowTotals };
}

/** LL, df and n of an ML fit. */
function likelihood(f: Fitted, v: number): { ll: number; df: number; n: number } {
  let ll = 0, df = 0, n = 0;
  for (let h = 0; h < f.rowTotals.length; h++) {
    const total = f.rowTotals[h]!;
    if (total === 0) continue;
    n += total;
    let support = 0;
    for (let b = 0; b < v; b++) {
      const c = f.counts[h * v + b]!;
      if (c > 0) {
        ll += c * Math.log(c / total);
        support++;
      }
    }
    df += support - 1;
  }
  return { ll, df, n };
}

/** Mean log P(b | h) of the test sessions' transitions under the α-smoothed training fit. */
function heldOutLikelihood(t: OrderTransitions, f: Fitted, test: Int32Array, alpha: number, start: number): number {
  const v = t.size, support = v - (start >= 0 ? 1 : 0);
  let sum = 0, n = 0;
  for (const s of test) {
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
      const h = t.src[j]!, b = t.dst[j]!;
      const p = (f.counts[h * v + b]! + (b === start ? 0 : alpha)) / (f.rowTotals[h]! + alpha * support);
      sum += t.count[j]! * Math.log(p);
      n += t.count[j]!;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** The order of the first fit that no later fit beats on `key`. */
function bestOrder(fits: readonly OrderFit[], key: (f: OrderFit) => number, better: (a: number, b: number) => boolean): number {
  let best: OrderFit | undefined;
  for (const f of fits) if (best === undefined || better(key(f), key(best))) best = f;
  if (best === undefined) throw new Error('order selection: no order was fitted');
  return best.order;
}

/**
 * Select the Markov order of each labelled class (sessions prepared with `<start>`/`<end>` boundary states).
 * @example selectOrders(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { smoothing: 0.5, rng: createRng(42) }).human.selectedOrder
 */
export function selectOrders(prepared: PreparedSessions, opts: OrderSelectionOptions): Partial<Record<ClassName, OrderSelection>> {
  if (prepared.states.start < 0) throw new UsageError('--order auto compares likelihoods over the same events, which needs <start>/<end> padding: drop --no-boundary');
  const maxOrder = opts.maxOrder ?? MAX_ORDER, level = opts.level ?? 0.05, holdout = opts.holdout ?? 0.2;
  const byOrder = Array.from({ length: maxOrder }, (_, k) => orderTransitions(prepared.index, prepared.states, k + 1));
  const out: Partial<Record<ClassName, OrderSelection>> = {};
  for (const [label, c] of CLASSES.entries()) {
    const members = membersOf(prepared.labels, label as 0 | 1);
    if (members.length === 0) continue;
    const { train, test } = holdoutMembers(members, holdout, opts.rng.fork());
    const fits: OrderFit[] = [];
    for (const t of byOrder) {
      const { ll, df, n } = likelihood(fitCounts(t, members), t.size);
      const prev = fits[fits.length - 1];
      const statistic = prev ? 2 * (ll - prev.logLikelihood) : NaN, ddf = prev ? df - prev.df : NaN;
      fits.push({
        order: t.order, logLikelihood: ll, df, transitions: n, aic: 2 * df - 2 * ll, bic: df * Math.log(n) - 2 * ll,
        lrt: { statistic, df: ddf, p: prev ? chiSquareSf(Math.max(0, statistic), ddf) : NaN },
        heldOut: heldOutLikelihood(t, fitCounts(t, train), test, opts.smoothing, prepared.states.start),
      });
    }
    let lrt = 1;
    while (lrt < fits.length && fits[lrt]!.lrt.p < level) lrt++;
    const byCriterion = {
      lrt,
      aic: bestOrder(fits, (f) => f.aic, (a, b) => a < b),
      bic: bestOrder(fits, (f) => f.bic, (a, b) => a < b),
      heldOut: bestOrder(fits, (f) => f.heldOut, (a, b) => a > b),
    };
    out[c] = { fits, selectedOrder: byCriterion.bic, byCriterion, sessions: { train: train.length, test: test.length } };
  }
  return out;
}
