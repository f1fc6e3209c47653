/**
 * `fitKernels`: per-class transition kernels (pooled counts, shared vocabulary), the divergences between
 * them, and the split-half null (docs/method.md). Returns plain data; `kernels-file.ts` turns it into kernels.json.
 */
import { UsageError } from '../errors.js';
import type { EventsTable } from '../events/table.js';
import type { Rng } from '../stats/rng.js';
import { fitClass, smoothingFor, visits, type ClassFit, type ClassName } from './kernel.js';
import { kernelDivergence, type KernelDivergence, type Weighting } from './kernel-divergence.js';
import { historyLabels, type OrderTransitions } from './order-transitions.js';
import { membersOf, prepareSessions, sourceRows, type PreparedSessions } from './prepare.js';
import { pairWeights, type Pooling } from './session-transitions.js';
import { compareToNull, splitHalfNull, type NullComparison, type NullDistribution } from './split-half-null.js';
import type { StateMode } from './states.js';

export interface KernelParams {
  state: StateMode;
  /** wrap trajectories in `<start>`/`<end>` */
  boundary: boolean;
  pooling: Pooling;
  /** additive smoothing α of every reference distribution */
  smoothing: number;
  weighting: Weighting;
}

export const KERNEL_DEFAULTS: Readonly<KernelParams> = { state: 'event', boundary: true, pooling: 'pooled', smoothing: 0.5, weighting: 'visits' };

/** Kernels of both classes over one vocabulary: what kernels.json stores and `separability` scores against. */
export interface KernelsModel {
  params: KernelParams;
  vocabulary: string[];
  classes: Record<ClassName, ClassFit>;
  /** Markov order k when > 1 (absent at order 1); rows of every matrix are then `histories` */
  order?: number;
  histories?: string[];
}

export interface KernelsReport extends KernelsModel {
  /** mean KL(H‖A), KL(A‖H) and JS over shared source states */
  divergence: { klHumanAgent: number; klAgentHuman: number; js: number; sharedStates: number };
  /** split-half null and the comparison of each observed divergence with it */
  null: { replicates: number; klHumanAgent: NullComparison; klAgentHuman: NullComparison; js: NullComparison; sample: NullDistribution };
  sessions: { total: number; human: number; agent: number; unlabelled: number; conflictingLabels: number };
}

/** Class fits of prepared sessions under a pooling. */
export function fitClasses(prepared: PreparedSessions, pooling: Pooling): { model: Record<ClassName, ClassFit>; mass: Float64Array } {
  const t = prepared.transitions, mass = pairWeights(t, pooling), ids = prepared.index.ids, rows = sourceRows(t);
  return {
    mass,
    model: { human: fitClass(t, mass, membersOf(prepared.labels, 0), ids, rows), agent: fitClass(t, mass, membersOf(prepared.labels, 1), ids, rows) },
  };
}

/**
 * Divergences between the classes of a model.
 * @example compareClasses(model).klHumanAgent
 */
export function compareClasses(model: KernelsModel): KernelsReport['divergence'] {
  const { human, agent } = model.classes;
  const d: KernelDivergence = kernelDivergence(
    { mass: human.mass, visits: visits(human) }, { mass: agent.mass, visits: visits(agent) }, smoothingFor(model.params.smoothing, model.vocabulary), model.params.weighting,
  );
  return { klHumanAgent: d.klPQ, klAgentHuman: d.klQP, js: d.js, sharedStates: d.sharedStates };
}

/**
 * Fit both classes' kernels from labelled events and test their divergence against the split-half null.
 * `flags` are event-level labels (−1/0/1), usually `table.isAgent`. `order` k > 1 fits order-k kernels
 * (rows = histories of the last k states) and compares them the same way.
 * @example fitKernels(table, table.isAgent, { state: 'event' }, { bootstrap: 200, rng: createRng(42) })
 */
export function fitKernels(table: EventsTable, flags: Int8Array, params: Partial<KernelParams>, opts: { bootstrap: number; rng: Rng; order?: number }): KernelsReport {
  const p: KernelParams = { ...KERNEL_DEFAULTS, ...params };
  if (!(p.smoothing >= 0)) throw new UsageError(`--smoothing must be >= 0 (got ${p.smoothing})`);
  const prepared = prepareSessions(table, flags, { state: p.state, boundary: p.boundary, order: opts.order ?? 1 });
  const { model: classes, mass } = fitClasses(prepared, p.pooling);
  if (classes.human.sessions === 0 || classes.agent.sessions === 0) {
    throw new UsageError(`kernels need labelled sessions of both classes (found ${classes.human.sessions} human, ${classes.agent.sessions} agent); label events with is_agent or join experiments`);
  }
  const model: KernelsModel = { params: p, vocabulary: prepared.states.vocabulary, classes };
  if ((opts.order ?? 1) > 1) {
    model.order = opts.order;
    model.histories = historyLabels(prepared.transitions as OrderTransitions, model.vocabulary);
  }
  const divergence = compareClasses(model);
  const nullClasses = (['human', 'agent'] as const).map((c, label) => ({
    members: membersOf(prepared.labels, label as 0 | 1), counts: classes[c].counts, mass: classes[c].mass,
  }));
  const sample = splitHalfNull(prepared.transitions, mass, nullClasses, { replicates: opts.bootstrap, smoothing: smoothingFor(p.smoothing, model.vocabulary), weighting: p.weighting, rng: opts.rng });
  const labelled = classes.human.sessions + classes.agent.sessions;
  return {
    ...model,
    divergence,
    null: {
      replicates: sample.replicates,
      klHumanAgent: compareToNull(divergence.klHumanAgent, sample.kl),
      klAgentHuman: compareToNull(divergence.klAgentHuman, sample.kl),
      js: compareToNull(divergence.js, sample.js),
      sample,
    },
    sessions: { total: prepared.index.ids.length, human: classes.human.sessions, agent: classes.agent.sessions, unlabelled: prepared.index.ids.length - labelled, conflictingLabels: prepared.conflictingLabels },
  };
}
