/**
 * `separability`: per-session gap scores against leave-one-out class centroids, then a Mann–Whitney U test
 * of human against agent gaps with effect sizes and descriptive statistics (docs/method.md).
 */
import { DataError, UsageError } from '../errors.js';
import type { EventsTable } from '../events/table.js';
import { describe, type Description } from '../stats/descriptive.js';
import { mannWhitneyU } from '../stats/mann-whitney.js';
import type { MannWhitneyOptions, MannWhitneyResult } from '../stats/mann-whitney-types.js';
import { fitClasses, KERNEL_DEFAULTS, type KernelParams, type KernelsModel } from './fit-kernels.js';
import { gapScores, UNSCORED, type GapScores } from './gap-scores.js';
import { alignModel } from './kernels-file.js';
import { CLASSES, smoothingFor } from './kernel.js';
import { prepareSessions, type PreparedSessions } from './prepare.js';
import { pairWeights } from './session-transitions.js';

export interface SeparabilityOptions {
  params?: Partial<KernelParams>;
  /** score against centroids that contain the session (reproduces the original study) */
  inSample?: boolean;
  temperature?: number;
  test?: MannWhitneyOptions;
  /** score against stored kernels instead of fitting them here; their state, boundary and pooling win */
  kernels?: KernelsModel;
  /** Markov order k of the fitted kernels and gap scores (rows = histories of the last k states; default 1) */
  order?: number;
}

export interface SeparabilityResult {
  /** `order` is present only for order-k (k > 1) kernels and gap scores */
  params: KernelParams & { inSample: boolean; temperature: number; kernels: 'fitted' | 'file'; order?: number };
  sessions: { ids: string[]; labels: Int8Array; events: Int32Array; inFit: Int8Array; scores: GapScores };
  counts: { sessions: number; scored: number; tooShort: number; undefinedGap: number; unlabelled: number; conflictingLabels: number };
  groups: { human: Description; agent: Description };
  test: MannWhitneyResult;
}

/** Centroid (0 human, 1 agent) holding each session, by id, checked to hold the same transitions. */
function fitMembership(prepared: PreparedSessions, mass: Float64Array, model: KernelsModel): Int8Array {
  const t = prepared.transitions, ids = prepared.index.ids;
  const inFit = new Int8Array(ids.length).fill(-1);
  CLASSES.forEach((c, label) => {
    const fit = model.classes[c];
    const members = new Map(fit.sessionIds.map((id, k) => [id, fit.sessionTransitions[k]!]));
    const m = fit.mass.values;
    ids.forEach((id, s) => {
      const fitted = members.get(id);
      if (fitted === undefined) return;
      inFit[s] = label;
      let n = 0, held = true;
      for (let j = t.pairOffsets[s]!; j < t.pairOffsets[s + 1]!; j++) {
        n += t.count[j]!;
        held &&= m[t.src[j]! * t.size + t.dst[j]!]! >= mass[j]! - 1e-9;
      }
      if (n !== fitted || !held) {
        throw new DataError(`session ${id} is in the stored ${c} kernel with ${fitted} transitions but has ${n} here; the kernels were fitted on other data — refit them, or score sessions the kernels do not contain`);
      }
    });
  });
  return inFit;
}

/**
 * Score every session and test whether human and agent gaps differ.
 * @example separability(table, table.isAgent, { test: { alternative: 'two-sided' } }).test.pvalue
 */
export function separability(table: EventsTable, flags: Int8Array, opts: SeparabilityOptions = {}): SeparabilityResult {
  const stored = opts.kernels;
  const base: KernelParams = { ...KERNEL_DEFAULTS, ...(stored?.params ?? {}), ...opts.params };
  const params: KernelParams = stored ? { ...base, state: stored.params.state, boundary: stored.params.boundary, pooling: stored.params.pooling } : base;
  const temperature = opts.temperature ?? 1, inSample = opts.inSample ?? false;
  if (!(temperature > 0)) throw new UsageError(`--temperature must be > 0 (got ${temperature})`);
  if (stored && (opts.order ?? 1) > 1) throw new UsageError('--order applies to kernels fitted here; stored --kernels are first-order');
  if (!(params.smoothing >= 0)) throw new UsageError(`--smoothing must be >= 0 (got ${params.smoothing})`);
  const prepared = prepareSessions(table, flags, { state: params.state, boundary: params.boundary, vocabulary: stored?.vocabulary, ...(stored ? {} : { order: opts.order ?? 1 }) });
  const t = prepared.transitions;
  let model: KernelsModel, mass: Float64Array, inFit: Int8Array;
  if (stored) {
    model = alignModel(stored, prepared.states.vocabulary);
    mass = pairWeights(t, params.pooling);
    inFit = fitMembership(prepared, mass, model);
  } else {
    const fitted = fitClasses(prepared, params.pooling);
    model = { params, vocabulary: prepared.states.vocabulary, classes: fitted.model };
    mass = fitted.mass;
    inFit = prepared.labels;
  }
  const scores = gapScores(t, mass, [model.classes.human.mass, model.classes.agent.mass], inFit, {
    smoothing: smoothingFor(params.smoothing, model.vocabulary), weighting: params.weighting, inSample, temperature,
  });
  const groups: [number[], number[]] = [[], []];
  let tooShort = 0, undefinedGap = 0, unlabelled = 0;
  for (let s = 0; s < prepared.labels.length; s++) {
    if (scores.status[s] === UNSCORED.tooShort) tooShort++;
    else if (scores.status[s] === UNSCORED.undefined) undefinedGap++;
    if (prepared.labels[s]! < 0) unlabelled++;
    else if (scores.status[s] === UNSCORED.scored) groups[prepared.labels[s]!]!.push(scores.gap[s]!);
  }
  if (groups[0].length === 0 || groups[1].length === 0) {
    throw new UsageError(`separability needs scored sessions of both classes (got ${groups[0].length} human, ${groups[1].length} agent with >= 2 events); label events with is_agent or join experiments`);
  }
  const sessions = prepared.labels.length;
  return {
    params: { ...params, inSample, temperature, kernels: stored ? 'file' : 'fitted', ...((opts.order ?? 1) > 1 ? { order: opts.order } : {}) },
    sessions: { ids: prepared.index.ids, labels: prepared.labels, events: t.events, inFit, scores },
    counts: { sessions, scored: sessions - tooShort - undefinedGap, tooShort, undefinedGap, unlabelled, conflictingLabels: prepared.conflictingLabels },
    groups: { human: describe(groups[0]), agent: describe(groups[1]) },
    test: mannWhitneyU(groups[0], groups[1], opts.test ?? {}),
  };
}
