/**
 * The simulator's scorer on recorded events: each session's trajectory read through the one session index
 * (events/session-index.ts — the order and label policy of features, kernels and serve), wrapped in
 * `<start>`/`<end>` and encoded over the scorer's vocabulary, then scored with f(τ). Events whose name is
 * outside the vocabulary are skipped and counted.
 */
import { indexSessions, sessionLabels } from '../events/session-index.js';
import type { EventsTable } from '../events/table.js';
import { END, START } from '../events/vocabulary.js';
import type { SessionScorer } from './session-scorer.js';

export interface EventTrajectories {
  /** session ids, ascending (the kernels' numbering) */
  ids: string[];
  /** per session −1/0/1, conflicting labels → −1 */
  labels: Int8Array;
  conflictingLabels: number;
  /** session s is states[starts[s] .. starts[s + 1]), `<start>` and `<end>` included */
  states: Int32Array;
  starts: Int32Array;
  /** events skipped because their name is not in the vocabulary */
  outsideVocabulary: number;
}

/**
 * Per-session trajectories of an events table over a state vocabulary that holds `<start>` and `<end>`.
 * @example eventTrajectories(table, compileBehaviour(profiles).states).states
 */
export function eventTrajectories(table: Pick<EventsTable, 'sessionId' | 'ts' | 'srcOffset' | 'eventName' | 'isAgent'>, vocabulary: readonly string[]): EventTrajectories {
  const index = indexSessions(table, 'by-id');
  const { labels, conflictingLabels } = sessionLabels(index, table.isAgent);
  const position = new Map(vocabulary.map((s, k) => [s, k]));
  const start = position.get(START), end = position.get(END);
  if (start === undefined || end === undefined) throw new Error('the scorer vocabulary lacks <start>/<end>');
  const stateOfName = Int32Array.from(table.eventName.dict, (name) => position.get(name) ?? -1);
  const states = new Int32Array(index.order.length + 2 * index.nSessions);
  const starts = new Int32Array(index.nSessions + 1);
  let m = 0, outsideVocabulary = 0;
  for (let s = 0; s < index.nSessions; s++) {
    states[m++] = start;
    for (let j = index.starts[s]!; j < index.starts[s + 1]!; j++) {
      const code = table.eventName.codes[index.order[j]!]!;
      const state = code < 0 ? -1 : stateOfName[code]!;
      if (state < 0) outsideVocabulary++;
      else states[m++] = state;
    }
    states[m++] = end;
    starts[s + 1] = m;
  }
  return { ids: index.ids, labels, conflictingLabels, states: states.subarray(0, m), starts, outsideVocabulary };
}

/**
 * f(τ) of every session of an events table under a simulator scorer.
 * @example scoreEventSessions(kernelGapScorer(states, human, agent), table, states).scores
 */
export function scoreEventSessions(scorer: SessionScorer, table: Pick<EventsTable, 'sessionId' | 'ts' | 'srcOffset' | 'eventName' | 'isAgent'>, vocabulary: readonly string[]): EventTrajectories & { scores: Float64Array } {
  const t = eventTrajectories(table, vocabulary);
  const scores = Float64Array.from({ length: t.ids.length }, (_, s) => scorer.score(t.states.subarray(t.starts[s]!), t.starts[s + 1]! - t.starts[s]!));
  return { ...t, scores };
}
