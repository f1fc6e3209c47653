// Issue 15, must-show 1: features, kernels, serve and the simulator's scorer see the same per-session
// sequences and labels — one session index (src/events/session-index.ts) — on a table with tied
// timestamps, null source offsets and a session carrying both labels. The reference is the documented
// rule (docs/contract.md §3.1) applied by a plain sort here: (ts, src_offset nulls last, position).
import { describe, expect, it } from 'vitest';
import { conflictingLabelsWarning, eventBefore, indexSessions, sessionLabels } from '../../src/events/session-index.js';
import { EventsBuilder, rowAt, type EventsTable } from '../../src/events/table.js';
import { END, START } from '../../src/events/vocabulary.js';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS } from '../../src/features/compute.js';
import { fromEventsTable } from '../../src/features/feature-events.js';
import { fitKernels } from '../../src/kernels/fit-kernels.js';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { separability } from '../../src/kernels/separability.js';
import { kernelScorer } from '../../src/serve/kernel-score.js';
import { SessionBuffer, toStoredRow } from '../../src/serve/session-buffer.js';
import { liveSessionFeatures } from '../../src/serve/session-features.js';
import { eventTrajectories, scoreEventSessions } from '../../src/sim/event-sessions.js';
import { kernelGapScorer } from '../../src/sim/session-scorer.js';
import { createRng } from '../../src/stats/rng.js';

const T = 1_700_000_000_000;
type Row = [session: string, dt: number, event: string, offset: number | null, agent: boolean | null, experiment: string];
// input order interleaves sessions; the tied rows are out of offset order and carry a null offset first
const ROWS: Row[] = [
  ['s-tie', 0, 'page_view', null, false, 'x-null'],
  ['s-mixed', 0, 'view_item_page', 11, true, 'x-m1'],
  ['s-tie', 0, 'search', 5, false, 'x-5'],
  ['s-tie', 0, 'page_view', 3, null, 'x-3'],
  ['s-mixed', 1000, 'hover_over_title', null, false, 'x-m2'],
  ['s-tie', 0, 'search', 7, false, 'x-7'],
  ['s-agent', 0, 'search', null, true, 'x-a1'],
  ['s-tie', 2000, 'add_item_to_cart', 1, false, 'x-late'],
  ['s-agent', 0, 'page_view', null, null, 'x-a2'],
  ['s-mixed', 1000, 'add_item_to_cart', 2, null, 'x-m3'],
  ['s-agent', 0, 'add_item_to_cart', null, true, 'x-a3'],
  ['s-human', 500, 'view_item_page', 9, false, 'x-h2'],
  ['s-human', 0, 'page_view', 8, false, 'x-h1'],
  ['s-agent2', 0, 'search', 4, true, 'x-b1'],
  ['s-agent2', 0, 'search', 2, true, 'x-b2'],
  ['s-agent2', 300, 'checkout_start', null, true, 'x-b3'],
  ['s-none', 0, 'page_view', null, null, 'x-n1'],
  ['s-none', 0, 'view_item_page', null, null, 'x-n2'],
];

function table(): EventsTable {
  const b = new EventsBuilder(8);
  for (const [sessionId, dt, eventName, srcOffset, isAgent, experimentId] of ROWS) {
    b.append({
      sessionId, experimentId, ts: T + dt, eventName, page: null, productId: null, storeMode: 'hotel', price: null, dwellMs: null,
      userAgent: null, metadata: null, isAgent, srcTopic: null, srcPartition: null, srcOffset, srcTs: null,
    });
  }
  return b.flush();
}

/** The documented rule, applied independently: each session's rows sorted by (ts, offset nulls last, position). */
function reference(): Map<string, { rows: number[]; label: -1 | 0 | 1 }> {
  const out = new Map<string, { rows: number[]; label: -1 | 0 | 1 }>();
  ROWS.forEach(([id], i) => {
    if (!out.has(id)) out.set(id, { rows: [], label: -1 });
    out.get(id)!.rows.push(i);
  });
  for (const s of out.values()) {
    s.rows.sort((a, b) => {
      const [, ta, , oa] = ROWS[a]!, [, tb, , ob] = ROWS[b]!;
      if (ta !== tb) return ta - tb;
      if (oa !== ob) return oa === null ? 1 : ob === null ? -1 : oa - ob;
      return a - b;
    });
    const labels = new Set(s.rows.map((i) => ROWS[i]![4]).filter((x) => x !== null));
    s.label = labels.size === 1 ? ([...labels][0] ? 1 : 0) : -1;
  }
  return out;
}

const REF = reference();
const sequence = (id: string): string[] => REF.get(id)!.rows.map((i) => ROWS[i]![2]);
/** (from → to) transition pairs of a session with `<start>`/`<end>`, sorted: what the kernels count. */
const pairsOf = (events: string[]): string[] => [START, ...events, END].slice(1).map((to, k) => `${[START, ...events][k]}→${to}`).sort();
/** Shannon entropy (nats) of the consecutive (event → next event) pairs (docs/features.md, transition_entropy). */
function transitionEntropy(events: string[]): number {
  const counts = new Map<string, number>();
  for (let k = 1; k < events.length; k++) counts.set(`${events[k - 1]}→${events[k]}`, (counts.get(`${events[k - 1]}→${events[k]}`) ?? 0) + 1);
  const n = events.length - 1;
  return -[...counts.values()].reduce((h, c) => h + (c / n) * Math.log(c / n), 0);
}

describe('one session index (must-show 1)', () => {
  const t = table();

  it('the reference is what the rule says: tied rows by offset, the null offset last, labels conflict → unlabelled', () => {
    expect(sequence('s-tie')).toEqual(['page_view', 'search', 'search', 'page_view', 'add_item_to_cart']);
    expect(REF.get('s-tie')!.rows.map((i) => ROWS[i]![5])).toEqual(['x-3', 'x-5', 'x-7', 'x-null', 'x-late']);
    expect(sequence('s-agent')).toEqual(['search', 'page_view', 'add_item_to_cart']); // all offsets null: position
    expect([...REF].map(([id, s]) => [id, s.label])).toEqual([['s-tie', 0], ['s-mixed', -1], ['s-agent', 1], ['s-human', 0], ['s-agent2', 1], ['s-none', -1]]);
  });

  it('the index orders exactly as the reference, in either numbering', () => {
    for (const numbering of ['first-seen', 'by-id'] as const) {
      const index = indexSessions(t, numbering);
      expect(index.ids).toEqual(numbering === 'by-id' ? [...REF.keys()].sort() : [...REF.keys()]);
      index.ids.forEach((id, s) => expect(Array.from(index.order.subarray(index.starts[s]!, index.starts[s + 1]!))).toEqual(REF.get(id)!.rows));
      const { labels, conflictingLabels, conflicted } = sessionLabels(index, t.isAgent);
      expect(Array.from(labels)).toEqual(index.ids.map((id) => REF.get(id)!.label));
      expect(conflictingLabels).toBe(1);
      expect(Array.from(conflicted, (s) => index.ids[s])).toEqual(['s-mixed']);
    }
    // a total order: a null ts goes last, and no pair is before in both directions
    const ts = Float64Array.of(5, NaN, 5, 5), off = Float64Array.of(NaN, 1, 2, NaN);
    expect([0, 1, 2, 3].sort((a, b) => (eventBefore(a, b, ts, off) ? -1 : eventBefore(b, a, ts, off) ? 1 : 0))).toEqual([2, 0, 3, 1]);
    expect(conflictingLabelsWarning(1)).toBe('1 session(s) carry both labels (human and agent events); left unlabelled (conflictingLabels, docs/contract.md §3.1)');
  });

  it('kernels count the reference transitions and take the reference labels', () => {
    const p = prepareSessions(t, t.isAgent, { state: 'event', boundary: true });
    const v = p.states.vocabulary, tr = p.transitions as import('../../src/kernels/session-transitions.js').SessionTransitions;
    p.index.ids.forEach((id, s) => {
      const pairs: string[] = [];
      for (let j = tr.pairOffsets[s]!; j < tr.pairOffsets[s + 1]!; j++) for (let c = 0; c < tr.count[j]!; c++) pairs.push(`${v[tr.src[j]!]}→${v[tr.dst[j]!]}`);
      expect(pairs.sort(), id).toEqual(pairsOf(sequence(id)));
      expect(p.labels[s], id).toBe(REF.get(id)!.label);
    });
    expect(p.conflictingLabels).toBe(1);
  });

  it('features take the first event, the transition entropy and the label of the reference', () => {
    const { table: st, stats } = computeSessionFeatures(fromEventsTable(t, false), DEFAULT_FEATURE_OPTIONS);
    expect(st.sessionIds).toEqual([...REF.keys()]);
    st.sessionIds.forEach((id, s) => {
      expect(st.experimentIds[s], id).toBe(ROWS[REF.get(id)!.rows[0]!]![5]);
      expect(st.columns['transition_entropy']![s], id).toBeCloseTo(transitionEntropy(sequence(id)), 12);
      expect(st.isAgent[s], id).toBe(REF.get(id)!.label);
    });
    // the tie order matters here: position order (page_view, search, page_view, search, …) has a lower entropy
    expect(transitionEntropy(['page_view', 'search', 'page_view', 'search', 'add_item_to_cart'])).not.toBeCloseTo(transitionEntropy(sequence('s-tie')), 3);
    expect(stats.conflictingLabelSessions).toEqual(['s-mixed']);
  });

  it('serve, fed each session in input order, computes the batch features and the batch gap score', () => {
    const model = fitKernels(t, t.isAgent, {}, { bootstrap: 0, rng: createRng(1) });
    const batch = separability(t, t.isAgent, { kernels: model });
    const score = kernelScorer(model, 1);
    for (const [id, ref] of REF) {
      const buffer = new SessionBuffer(id);
      for (const i of [...ref.rows].sort((a, b) => a - b)) buffer.append(toStoredRow(rowAt(t, i)));
      const live = liveSessionFeatures(buffer, { featureSet: 'default', timeoutSec: 900, fillMissing: null });
      expect(live.experimentIds[0], id).toBe(ROWS[ref.rows[0]!]![5]);
      expect(live.columns['transition_entropy']![0], id).toBeCloseTo(transitionEntropy(sequence(id)), 12);
      expect(live.isAgent[0], id).toBe(ref.label);
      const s = batch.sessions.ids.indexOf(id);
      expect(batch.sessions.labels[s], id).toBe(ref.label);
      expect(score(buffer).gap, id).toBeCloseTo(batch.sessions.scores.gap[s]!, 12);
    }
  });

  it("the simulator's scorer reads the reference trajectories and labels", () => {
    const vocabulary = [...new Set([START, END, ...ROWS.map((r) => r[2])])].sort();
    const tr = eventTrajectories(t, vocabulary);
    expect(tr.ids).toEqual([...REF.keys()].sort());
    tr.ids.forEach((id, s) => {
      expect(Array.from(tr.states.subarray(tr.starts[s]!, tr.starts[s + 1]!), (k) => vocabulary[k]), id).toEqual([START, ...sequence(id), END]);
      expect(tr.labels[s], id).toBe(REF.get(id)!.label);
    });
    expect(tr.conflictingLabels).toBe(1);
    // and scores them: an agent kernel that always searches makes search→search sessions agent-like
    const human = { [START]: { page_view: 1 }, page_view: { search: 1 }, search: { page_view: 1 } };
    const agent = { [START]: { search: 1 }, search: { search: 1 } };
    const scored = scoreEventSessions(kernelGapScorer(vocabulary, human, agent), t, vocabulary);
    expect(scored.scores[tr.ids.indexOf('s-agent2')]!).toBeGreaterThan(0.5);
    expect(scored.scores[tr.ids.indexOf('s-human')]!).toBeLessThan(0.5);
  });
});
