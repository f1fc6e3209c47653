/**
 * What `phantom kernels --order auto | --absorbing | --evaluate-next` adds to a kernels fit: per-class order
 * selection, absorbing-chain analysis of the first-order kernels, and next-click evaluation. All from one
 * order-1 preparation of the events (order-k transitions are derived from it).
 */
import type { EventsTable } from '../events/table.js';
import type { Rng } from '../stats/rng.js';
import { absorbingAnalysis, type AbsorbingAnalysis } from './absorbing.js';
import { fitClasses, type KernelParams } from './fit-kernels.js';
import { CLASSES, type ClassName } from './kernel.js';
import { evaluateNextClick, type NextClickEvaluation } from './next-click.js';
import { selectOrders, type OrderSelection } from './order-selection.js';
import { prepareSessions } from './prepare.js';

export interface KernelsExtras {
  orderSelection?: Partial<Record<ClassName, OrderSelection>>;
  absorbing?: Partial<Record<ClassName, AbsorbingAnalysis>>;
  nextClick?: Partial<Record<ClassName, NextClickEvaluation>>;
}

export interface ExtrasRequest {
  selectOrder: boolean;
  absorbing: boolean;
  evaluateNext: boolean;
  /** k of hit rate@k / MRR@k */
  top?: number;
  /** orders evaluated for next-click prediction (default 1–3) */
  orders?: number[];
}

/**
 * Compute the requested analyses; each draws its own generator from `rng` (selection first, then next-click).
 * @example kernelsExtras(table, table.isAgent, KERNEL_DEFAULTS, { selectOrder: true, absorbing: true, evaluateNext: false }, createRng(42))
 */
export function kernelsExtras(table: EventsTable, flags: Int8Array, params: KernelParams, want: ExtrasRequest, rng: Rng): KernelsExtras {
  const out: KernelsExtras = {};
  if (!want.selectOrder && !want.absorbing && !want.evaluateNext) return out;
  const prepared = prepareSessions(table, flags, { state: params.state, boundary: params.boundary });
  if (want.selectOrder) out.orderSelection = selectOrders(prepared, { smoothing: params.smoothing, rng: rng.fork() });
  if (want.absorbing) {
    const { model } = fitClasses(prepared, 'pooled');
    out.absorbing = Object.fromEntries(CLASSES.filter((c) => model[c].sessions > 0)
      .map((c) => [c, absorbingAnalysis(model[c].counts, prepared.states.vocabulary, params.smoothing)]));
  }
  if (want.evaluateNext) out.nextClick = evaluateNextClick(prepared, { rng: rng.fork(), top: want.top, orders: want.orders });
  return out;
}
