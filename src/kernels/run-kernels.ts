/**
 * `kernels` as one library call (what the command runs, and the pipeline after merge): labelled events
 * and typed options in; the per-class kernels, divergences, split-half null and the extra analyses
 * (order selection, absorbing chains, next-click prediction) out. Prints nothing, writes nothing.
 */
import type { EventsTable } from '../events/table.js';
import { createRng } from '../stats/rng.js';
import { conflictingLabelsWarning } from '../events/session-index.js';
import { fitKernels, KERNEL_DEFAULTS, type KernelParams, type KernelsReport } from './fit-kernels.js';
import { kernelsExtras, type KernelsExtras } from './kernels-extras.js';

/** Events with one label flag per event (−1 unlabelled, 0 human, 1 agent), as `loadLabelledEvents` gives them. */
export interface LabelledTable {
  table: EventsTable;
  flags: Int8Array;
}

/** How labelled events are read by kernels, separability and clusters. */
export const LABELLED_INPUT_DEFAULTS = { labelColumn: 'is_agent' } as const;

export interface KernelsOptions extends KernelParams {
  /** split-half null replicates (0 = none) */
  bootstrap: number;
  /** seed of the null and of the extra analyses */
  seed: number;
  /** Markov order, or 'auto': per class by LRT/AIC/BIC/held-out likelihood, kernels at the larger choice */
  order: number | 'auto';
  absorbing: boolean;
  evaluateNext: boolean;
  /** k of hit rate@k and MRR@k */
  top: number;
  onWarning?: (message: string) => void;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const KERNELS_DEFAULTS = {
  ...KERNEL_DEFAULTS, bootstrap: 200, seed: 42, order: 1 as number | 'auto', absorbing: false, evaluateNext: false, top: 5,
} satisfies KernelsOptions;

export interface KernelsRun {
  report: KernelsReport;
  extras: KernelsExtras;
  /** the order the kernels were fitted at (the larger per-class choice with order 'auto') */
  order: number;
}

/**
 * Fit and compare the kernels of both classes (docs/method.md).
 * @example const run = runKernels(await loadLabelledEvents(['events.parquet'], { labelColumn: 'is_agent' }), KERNELS_DEFAULTS)
 */
export function runKernels(events: LabelledTable, o: KernelsOptions): KernelsRun {
  const { table, flags } = events;
  const params: KernelParams = { state: o.state, boundary: o.boundary, pooling: o.pooling, smoothing: o.smoothing, weighting: o.weighting };
  const extras = kernelsExtras(table, flags, params, {
    selectOrder: o.order === 'auto', absorbing: o.absorbing, evaluateNext: o.evaluateNext, top: o.top,
  }, createRng(o.seed));
  const order = o.order === 'auto' ? Math.max(1, ...Object.values(extras.orderSelection ?? {}).map((x) => x.selectedOrder)) : o.order;
  const report = fitKernels(table, flags, params, { bootstrap: o.bootstrap, rng: createRng(o.seed), ...(order > 1 ? { order } : {}) });
  if (report.sessions.conflictingLabels > 0) o.onWarning?.(conflictingLabelsWarning(report.sessions.conflictingLabels));
  if (!Number.isFinite(report.divergence.klHumanAgent) || !Number.isFinite(report.divergence.klAgentHuman)) o.onWarning?.('a KL divergence is infinite: with --smoothing 0 a reference kernel has zeros where the other class moves');
  return { report, extras, order };
}
