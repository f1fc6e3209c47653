/**
 * From an events table to what every kernel computation reads: sessions in order, one label per session,
 * states over a shared vocabulary, and each session's transition counts.
 */
import { DataError, UsageError } from '../errors.js';
import type { EventsTable } from '../events/table.js';
import type { Rng } from '../stats/rng.js';
import { indexSessions, sessionLabels, type SessionIndex } from '../events/session-index.js';
import { orderTransitions, type OrderTransitions } from './order-transitions.js';
import { sessionTransitions, type SessionTransitions } from './session-transitions.js';
import { encodeStates, MAX_STATES, sortedVocabulary, type StateEncoding, type StateMode } from './states.js';

export interface PreparedSessions {
  index: SessionIndex;
  /** per session: −1 unlabelled, 0 human, 1 agent */
  labels: Int8Array;
  /** sessions whose events carry both labels, left unlabelled (docs/contract.md §3.1) */
  conflictingLabels: number;
  states: StateEncoding;
  /** order-1 transitions, or `OrderTransitions` (rows = histories) when prepared at order k > 1 */
  transitions: SessionTransitions | OrderTransitions;
}

/** Source rows of prepared transitions: V at order 1, the number of histories at order k. */
export function sourceRows(t: SessionTransitions | OrderTransitions): number {
  return 'historyCount' in t ? t.historyCount : t.size;
}

export interface PrepareOptions {
  state: StateMode;
  boundary: boolean;
  /** states that must be in the vocabulary (e.g. those of a stored kernel); the result is their sorted union */
  vocabulary?: readonly string[];
  /** Markov order k (default 1): transitions from the last k states (see order-transitions.ts) */
  order?: number;
}

/** Re-index an encoding into the sorted union of its vocabulary and `extra`. */
function widen(enc: StateEncoding, extra: readonly string[], boundary: boolean): StateEncoding {
  const vocabulary = sortedVocabulary([...enc.vocabulary, ...extra], boundary);
  const index = new Map(vocabulary.map((s, k) => [s, k]));
  const remap = Int32Array.from(enc.vocabulary, (s) => index.get(s)!);
  const stateOf = enc.stateOf.map((x) => (x < 0 ? -1 : remap[x]!));
  return { vocabulary, stateOf, start: enc.start < 0 ? -1 : remap[enc.start]!, end: enc.end < 0 ? -1 : remap[enc.end]! };
}

/**
 * Prepare sessions for kernels and gap scores. `flags` are event-level labels (−1/0/1), usually `table.isAgent`.
 * @example const prepared = prepareSessions(table, table.isAgent, { state: 'event', boundary: true });
 */
export function prepareSessions(table: EventsTable, flags: Int8Array, opts: PrepareOptions): PreparedSessions {
  if (flags.length !== table.length) throw new DataError(`labels have ${flags.length} rows but the events table has ${table.length}`);
  const index = indexSessions(table, 'by-id');
  const { labels, conflictingLabels } = sessionLabels(index, flags);
  let states = encodeStates(table, opts.state, opts.boundary);
  if (opts.vocabulary) states = widen(states, opts.vocabulary, opts.boundary);
  if (states.vocabulary.length > MAX_STATES) {
    throw new UsageError(`--state ${opts.state} gives ${states.vocabulary.length} states (at most ${MAX_STATES} fit dense kernels); use a coarser --state such as event or category`);
  }
  const order = opts.order ?? 1;
  const transitions = order === 1 ? sessionTransitions(index, states) : orderTransitions(index, states, order);
  return { index, labels, conflictingLabels, states, transitions };
}

/** Session indices with the given label. */
export function membersOf(labels: Int8Array, label: 0 | 1): Int32Array {
  let n = 0;
  for (let s = 0; s < labels.length; s++) if (labels[s] === label) n++;
  const out = new Int32Array(n);
  for (let s = 0, k = 0; s < labels.length; s++) if (labels[s] === label) out[k++] = s;
  return out;
}

/**
 * A class's sessions split at random into train and test: one draw per session in order, test with
 * probability `holdout` (the split next-click evaluation and order selection both make).
 * @example const { train, test } = holdoutMembers(membersOf(labels, 1), 0.2, rng.fork())
 */
export function holdoutMembers(members: Int32Array, holdout: number, rng: Rng): { train: Int32Array; test: Int32Array } {
  const isTest = members.map(() => (rng.next() < holdout ? 1 : 0));
  return { train: members.filter((_, i) => isTest[i] === 0), test: members.filter((_, i) => isTest[i] === 1) };
}
