// The price path's reused-buffer scoring (live-features.ts, live-scoring.ts) gives bit for bit what the
// batch path gives: every feature of every fixture session as `computeSessionFeatures` computes it (events
// in time order, and reversed so the batch sort decides the order), for both feature sets and a fill value,
// and the same probability (raw, Platt and isotonic calibrated) and rules markup as
// predictProbabilities(modelMatrix(…)) / rulesMarkup on the batch table — with one workspace reused
// across all sessions, so a value left over from the previous session would show.
import { describe, expect, it } from 'vitest';
import { fitRegressionTree } from '../../src/models/cart/index.js';
import { predictProbabilities } from '../../src/models/calibration/index.js';
import { modelMatrix, type ClassifierMeta } from '../../src/models/classifier/index.js';
import { encodeTable, fitEncoding } from '../../src/models/dataset/index.js';
import { trainBooster } from '../../src/models/gbdt/index.js';
import { LiveFeatures } from '../../src/serve/live-features.js';
import { liveScorer } from '../../src/serve/live-scoring.js';
import { rulesMarkup, type RulesModel } from '../../src/serve/rules.js';
import { SessionBuffer, type StoredRow } from '../../src/serve/session-buffer.js';
import { liveSessionFeatures, sessionDataTable, type FeatureSettings } from '../../src/serve/session-features.js';
import { createRng } from '../../src/stats/rng.js';
import { fixtureStoredSessions } from '../support/fixture-sessions.js';

const bySession = fixtureStoredSessions();

/**
 * Rows the fixture does not vary, varied: a base price apart from the price (the original set reads it),
 * labels that change within a session, a missing first user agent and experiment, equal timestamps
 * broken by the source offset.
 */
function perturbed(rows: StoredRow[], s: number): StoredRow[] {
  return rows.map((r, k): StoredRow => {
    const ts = k > 0 && k % 4 === 0 && s % 2 === 0 ? rows[k - 1]![0] : r[0];
    const base = r[4] === null ? null : r[4] * 0.8 + s;
    return [ts, r[1], r[2], r[3], r[4], base, r[6], k === 0 && s % 3 === 0 ? null : r[7], k === 0 && s % 2 === 1 ? null : r[8], (((s + k) % 3) - 1) as -1 | 0 | 1, s % 5 === 0 ? null : rows.length - k];
  });
}

function buffers(order: 'in order' | 'reversed' | 'perturbed'): SessionBuffer[] {
  return [...bySession].map(([id, rows], s) => {
    const b = new SessionBuffer(id);
    for (const r of order === 'reversed' ? [...rows].reverse() : order === 'perturbed' ? perturbed(rows, s) : rows) b.append(r);
    return b;
  });
}

const SETTINGS: FeatureSettings[] = [
  { featureSet: 'default', timeoutSec: 900, fillMissing: null },
  { featureSet: 'original', timeoutSec: 600, fillMissing: 0 },
];

describe('live features (reused buffers) = computeSessionFeatures', () => {
  for (const settings of SETTINGS) {
    for (const order of ['in order', 'reversed', 'perturbed'] as const) {
      it(`${settings.featureSet} set, fill ${settings.fillMissing}, events ${order}`, () => {
        const live = new LiveFeatures(settings);
        let compared = 0;
        for (const b of buffers(order)) {
          const want = liveSessionFeatures(b, settings);
          const got = live.compute(b);
          expect(got.features).toBe(want.features);
          for (const f of want.features) {
            if (f.dtype === 'category') expect([f.name, got.categories[f.name]!.codes[0]]).toEqual([f.name, want.categories[f.name]!.codes[0]]);
            else if (!Object.is(got.columns[f.name]![0], want.columns[f.name]![0])) throw new Error(`${b.sessionId} ${f.name}: ${got.columns[f.name]![0]} vs ${want.columns[f.name]![0]}`);
            compared++;
          }
          expect([got.sessionIds[0], got.experimentIds[0], got.isAgent[0], got.purchased[0]]).toEqual([want.sessionIds[0], want.experimentIds[0], want.isAgent[0], want.purchased[0]]);
        }
        expect(compared).toBeGreaterThan(300 * 25);
      });
    }
  }
});

describe('live scoring = predictProbabilities(modelMatrix(…)) and rulesMarkup', () => {
  const settings = SETTINGS[0]!;
  const sessions = buffers('perturbed');
  // a booster and a regression tree trained on the batch features of the fixture sessions
  const tables = sessions.map((b) => sessionDataTable(liveSessionFeatures(b, settings)));
  const all = { ...tables[0]!, nRows: tables.length, columns: tables[0]!.columns.map((c, j) => (c.kind === 'numeric'
    ? { ...c, values: Float64Array.from(tables, (t) => (t.columns[j] as typeof c).values[0]!) }
    : { ...c, codes: Int32Array.from(tables, (t) => (t.columns[j] as typeof c).codes[0]!) })) };
  // a label the features explain in part (the jsonl fixture carries no is_agent): fast sessions
  const labels = Float64Array.from(sessions, (b) => (liveSessionFeatures(b, settings).columns['interaction_velocity']![0]! > 6 ? 1 : 0));
  const { encoding } = fitEncoding(all, { label: 'is_agent' });
  const X = encodeTable(all, encoding);
  const { model } = trainBooster(X, labels, { n_estimators: 20, max_depth: 4 }, { rng: createRng(1) });
  const calibrators = [
    undefined,
    { method: 'platt', input: 'margin', a: 1.3, b: -0.2 },
    { method: 'isotonic', input: 'probability', x: [0.1, 0.4, 0.8], y: [0.05, 0.5, 0.9] },
  ];

  for (const calibrator of calibrators) {
    it(`probability, calibrator ${calibrator?.method ?? 'none'}`, () => {
      const meta = { encoding, ...(calibrator === undefined ? {} : { calibration: { calibrator } }) } as unknown as ClassifierMeta;
      const c = { model, meta };
      const scorer = liveScorer(settings, c, null)!;
      expect(scorer).not.toBeNull();
      for (let i = 0; i < sessions.length; i++) {
        const want = predictProbabilities(c, modelMatrix(tables[i]!, model, meta)).probability[0]!;
        expect(Object.is(scorer.score(sessions[i]!).agentProbability, want)).toBe(true);
      }
    });
  }

  it('rules markup', () => {
    const tree = fitRegressionTree(X, Float64Array.from(labels, (y, i) => 1 + 0.1 * y + 0.01 * (i % 3)), { maxDepth: 4 });
    const rules: RulesModel = { tree, encoding, tiers: null };
    const scorer = liveScorer(settings, null, rules)!;
    for (let i = 0; i < sessions.length; i++) {
      expect(scorer.score(sessions[i]!).rulesMarkup).toBe(rulesMarkup(rules, liveSessionFeatures(sessions[i]!, settings)));
    }
  });
});
