/**
 * Next-click prediction (docs/method.md, "Next-click prediction"): per class, a seeded split of the sessions
 * into training (80%) and held-out (20%); an order-k chain ranks the next event by its training count
 * N(h, ·) after the last k states, ties (and unseen histories) broken by overall popularity; the baseline ranks
 * by popularity alone. Targets are real events (`<end>` is neither a target nor a candidate). Hit rate@k =
 * share of held-out transitions whose next event is in the top k; MRR@k = mean of 1/rank (0 beyond k).
 */
import { UsageError } from '../errors.js';
import type { Rng } from '../stats/rng.js';
import { CLASSES, fitClass, type ClassName } from './kernel.js';
import { orderTransitions, type OrderTransitions } from './order-transitions.js';
import { holdoutMembers, membersOf, type PreparedSessions } from './prepare.js';

export interface NextClickScore {
  /** `popularity` or `order k` */
  model: string;
  order: number;
  hitRate: number;
  mrr: number;
}

export interface NextClickEvaluation {
  top: number;
  /** held-out transitions scored (targets other than `<end>`) */
  transitions: number;
  sessions: { train: number; test: number };
  scores: NextClickScore[];
}

export interface NextClickOptions {
  orders?: number[];
  /** k of hit rate@k and MRR@k (default 5) */
  top?: number;
  holdout?: number;
  rng: Rng;
}

function scoreOrder(t: OrderTransitions, train: Int32Array, test: Int32Array, popularity: Float64Array | null, top: number, excluded: boolean[]): { hit: number; rr: number; n: number; pop: Float64Array } {
  const v = t.size, counts = fitClass(t, t.count, train, [], t.historyCount).counts.values;
  const pop = popularity ?? new Float64Array(v);
  if (!popularity) for (let i = 0; i < counts.length; i++) pop[i % v]! += counts[i]!;
  let hit = 0, rr = 0, n = 0;
  for (const s of test) {
    for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
      const b = t.dst[j]!;
      if (excluded[b]) continue;
      const row = t.src[j]! * v, w = t.count[j]!;
      // rank = 1 + candidates strictly ahead in (count, popularity, lower index first)
      let rank = 1;
      const cb = counts[row + b]!, pb = pop[b]!;
      for (let c = 0; c < v; c++) {
        if (c === b || excluded[c]) continue;
        const cc = counts[row + c]!;
        if (cc > cb || (cc === cb && (pop[c]! > pb || (pop[c] === pb && c < b)))) rank++;
      }
      n += w;
      if (rank <= top) {
        hit += w;
        rr += w / rank;
      }
    }
  }
  return { hit, rr, n, pop };
}

/**
 * Hit rate@k and MRR@k of order-k chains and the popularity baseline on held-out sessions of each class.
 * @example evaluateNextClick(prepareSessions(table, table.isAgent, { state: 'event', boundary: true }), { rng: createRng(42) }).human
 */
export function evaluateNextClick(prepared: PreparedSessions, opts: NextClickOptions): Partial<Record<ClassName, NextClickEvaluation>> {
  const top = opts.top ?? 5, holdout = opts.holdout ?? 0.2, orders = opts.orders ?? [1, 2, 3];
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer (got ${top})`);
  const { start, end } = prepared.states;
  if (start < 0) throw new UsageError('--evaluate-next compares orders on the same clicks, which needs <start>/<end> padding: drop --no-boundary');
  const excluded = prepared.states.vocabulary.map((_, k) => k === start || k === end);
  const byOrder = orders.map((k) => orderTransitions(prepared.index, prepared.states, k));
  const out: Partial<Record<ClassName, NextClickEvaluation>> = {};
  for (const [label, c] of CLASSES.entries()) {
    const members = membersOf(prepared.labels, label as 0 | 1);
    if (members.length === 0) continue;
    const { train, test } = holdoutMembers(members, holdout, opts.rng.fork());
    // popularity: training frequency of each next event (the same at every order thanks to padding)
    const first = scoreOrder(byOrder[0]!, train, test, null, top, excluded);
    // the baseline: one history with no counts, so the ranking is popularity alone
    const baseline = scoreOrder({ ...byOrder[0]!, src: new Int32Array(byOrder[0]!.src.length), historyCount: 1 }, new Int32Array(0), test, first.pop, top, excluded);
    const scores: NextClickScore[] = [{ model: 'popularity', order: 0, hitRate: baseline.hit / baseline.n, mrr: baseline.rr / baseline.n }];
    byOrder.forEach((t, i) => {
      const r = i === 0 ? first : scoreOrder(t, train, test, first.pop, top, excluded);
      scores.push({ model: `order ${t.order}`, order: t.order, hitRate: r.hit / r.n, mrr: r.rr / r.n });
    });
    out[c] = { top, transitions: first.n, sessions: { train: train.length, test: test.length }, scores };
  }
  return out;
}
