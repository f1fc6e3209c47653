/**
 * The kernel gap score of one live session (docs/method.md) against a stored kernels.json, through the same
 * path as `phantom separability --kernels`: prepareSessions → pairWeights → gapScores. A session the
 * stored kernels were fitted on, with the same number of transitions, is scored leave-one-out as
 * `separability` scores it; every other (live) session is scored against the full centroids.
 */
import { alignModel } from '../kernels/kernels-file.js';
import type { KernelsModel } from '../kernels/fit-kernels.js';
import { gapScores, UNSCORED } from '../kernels/gap-scores.js';
import { CLASSES, smoothingFor } from '../kernels/kernel.js';
import { prepareSessions } from '../kernels/prepare.js';
import { pairWeights } from '../kernels/session-transitions.js';
import type { SessionBuffer } from './session-buffer.js';

export interface KernelScore {
  /** gap = ΔH − ΔA (> 0: agent-like); null with fewer than 2 events or an undefined KL */
  gap: number | null;
  deltaHuman: number | null;
  deltaAgent: number | null;
  /** f = σ(gap / T) */
  probability: number | null;
  /** 'scored', 'too_short' or 'undefined' */
  status: 'scored' | 'too_short' | 'undefined';
}

export type KernelScorer = (buffer: SessionBuffer) => KernelScore;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * A scorer bound to one kernels model and temperature.
 * @example const score = kernelScorer(await readKernelsFile('kernels.json'), 1); score(buffer).probability
 */
export function kernelScorer(model: KernelsModel, temperature: number): KernelScorer {
  const { state, boundary, pooling, smoothing, weighting } = model.params;
  const fitted = new Map<string, { label: number; transitions: number }>();
  CLASSES.forEach((c, label) => model.classes[c].sessionIds.forEach((id, k) => fitted.set(id, { label, transitions: model.classes[c].sessionTransitions[k]! })));
  return (buffer) => {
    const table = buffer.eventsTable();
    const prepared = prepareSessions(table, table.isAgent, { state, boundary, vocabulary: model.vocabulary });
    const vocabulary = prepared.states.vocabulary;
    const m = vocabulary.length === model.vocabulary.length ? model : alignModel(model, vocabulary);
    const t = prepared.transitions;
    let transitions = 0;
    for (let j = t.pairOffsets[0]!; j < t.pairOffsets[1]!; j++) transitions += t.count[j]!;
    const fit = fitted.get(buffer.sessionId);
    const member = Int8Array.of(fit !== undefined && fit.transitions === transitions ? fit.label : -1);
    const s = gapScores(t, pairWeights(t, pooling), [m.classes.human.mass, m.classes.agent.mass], member, {
      smoothing: smoothingFor(smoothing, m.vocabulary), weighting, inSample: false, temperature,
    });
    const status = s.status[0] === UNSCORED.scored ? 'scored' : s.status[0] === UNSCORED.tooShort ? 'too_short' : 'undefined';
    return { gap: num(s.gap[0]!), deltaHuman: num(s.deltaHuman[0]!), deltaAgent: num(s.deltaAgent[0]!), probability: num(s.probability[0]!), status };
  };
}
