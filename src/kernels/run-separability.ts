/**
 * `separability` as one library call (what the command runs, and the pipeline after merge): labelled
 * events, optional stored kernels and typed options in; per-session gap scores and the Mann–Whitney test
 * of human vs agent gaps out. Prints nothing, writes nothing (warnings go to `onWarning`).
 */
import type { Alternative, MannWhitneyMethod } from '../stats/mann-whitney-types.js';
import { createRng } from '../stats/rng.js';
import { conflictingLabelsWarning } from '../events/session-index.js';
import { KERNEL_DEFAULTS, type KernelParams, type KernelsModel } from './fit-kernels.js';
import type { LabelledTable } from './run-kernels.js';
import { separability, type SeparabilityResult } from './separability.js';

export interface SeparabilityRunOptions extends Omit<KernelParams, 'smoothing' | 'weighting'> {
  /** null: the stored kernels' (with `kernels`), else KERNEL_DEFAULTS' */
  smoothing: number | null;
  weighting: KernelParams['weighting'] | null;
  /** score against stored kernels (their state, boundary and pooling win); null = fit them here */
  kernels: KernelsModel | null;
  /** score against centroids that contain the session (the original study) */
  inSample: boolean;
  /** agent probability f = σ(gap / T) */
  temperature: number;
  alternative: Alternative;
  method: MannWhitneyMethod;
  continuity: boolean;
  permutations: number;
  seed: number;
  /** Markov order of the kernels fitted here and of the gap scores */
  order: number;
  onWarning?: (message: string) => void;
}

/** Defaults of every option (the command's flag defaults come from here). */
export const SEPARABILITY_DEFAULTS = {
  ...KERNEL_DEFAULTS, kernels: null, inSample: false, temperature: 1, alternative: 'two-sided' as Alternative, method: 'auto' as MannWhitneyMethod,
  continuity: true, permutations: 9999, seed: 42, order: 1,
} satisfies SeparabilityRunOptions;

/**
 * Gap scores and the human-vs-agent test (docs/method.md).
 * @example runSeparability(await loadLabelledEvents(['events.parquet'], { labelColumn: 'is_agent' }), SEPARABILITY_DEFAULTS).test.pvalue
 */
export function runSeparability(events: LabelledTable, o: SeparabilityRunOptions): SeparabilityResult {
  const r = separability(events.table, events.flags, {
    params: {
      state: o.state, boundary: o.boundary, pooling: o.pooling,
      ...(o.smoothing !== null ? { smoothing: o.smoothing } : {}), ...(o.weighting !== null ? { weighting: o.weighting } : {}),
    },
    inSample: o.inSample, temperature: o.temperature, kernels: o.kernels ?? undefined,
    ...(o.order > 1 ? { order: o.order } : {}),
    test: { alternative: o.alternative, method: o.method, continuity: o.continuity, permutations: o.permutations, rng: createRng(o.seed) },
  });
  if (r.counts.conflictingLabels > 0) o.onWarning?.(conflictingLabelsWarning(r.counts.conflictingLabels));
  if (r.counts.undefinedGap > 0) o.onWarning?.(`${r.counts.undefinedGap} sessions have no finite gap (with --smoothing 0 a centroid row can be empty)`);
  return r;
}

/** The --fail-if-p-above gate: true when the test's p-value is above `max` (or not a number). */
export function pAboveGate(r: SeparabilityResult, max: number | null): boolean {
  return max !== null && !(r.test.pvalue <= max);
}
