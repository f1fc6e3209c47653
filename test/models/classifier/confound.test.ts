// Must-show 3 of issue 16: a planted collection artefact (humans recorded in office hours, agents at night)
// is named by the confound audit, and the behaviour-only AUC is reported and close to the AUC of the same
// sessions without the artefact. Real binary, real sessions CSV, seeded data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confoundWarnings, type ImportanceRow } from '../../../src/models/classifier/index.js';
import { createRng } from '../../../src/stats/rng.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-confound-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 400 sessions: one behaviour feature that separates the classes moderately (gap_cv shifted by one sd:
 * AUC ≈ Φ(1/√2) ≈ 0.76), two noise columns, and session_start_hour either planted (humans 9–17 h, agents
 * 0–5 h) or drawn uniformly over the day for both classes. Everything but the hour is identical.
 */
function sessionsCsv(planted: boolean): string {
  const rng = createRng(16), clock = createRng(17); // the hours from their own stream: the other columns are identical
  const lines = ['sessionId,is_agent,gap_cv,noise_a,noise_b,session_start_hour'];
  for (let i = 0; i < 400; i++) {
    const agent = i % 2 === 1;
    const gap = rng.normal() + (agent ? 1 : 0);
    const a = rng.normal(), b = rng.next();
    const hour = planted ? (agent ? clock.int(6) : 9 + clock.int(9)) : clock.int(24);
    lines.push(`s${i},${agent},${gap.toFixed(6)},${a.toFixed(6)},${b.toFixed(6)},${hour}`);
  }
  return `${lines.join('\n')}\n`;
}

function train(name: string, planted: boolean): { warnings: { code: string; feature: string; message: string }[]; evaluation: { metrics: { rocAuc: number } }; behaviourOnly: { auc: number; fullAuc: number; excluded: string[] } } {
  const csv = join(dir, `${name}.csv`);
  writeFileSync(csv, sessionsCsv(planted));
  const r = spawnSync('node', ['bin/phantom.js', 'train-classifier', csv, '-o', join(dir, `${name}.json`), '--json', '--seed', '7', '-w', '2'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('confound audit', () => {
  it('names a planted office-hours/night artefact, and the behaviour-only AUC is close to the unconfounded AUC', () => {
    const confounded = train('confounded', true);
    const clean = train('clean', false);
    // the artefact separates the classes perfectly, so the full model rests on it
    expect(confounded.evaluation.metrics.rocAuc).toBeGreaterThan(0.99);
    const named = confounded.warnings.filter((w) => w.feature === 'session_start_hour').map((w) => w.code);
    expect(named).toContain('context-feature');
    expect(named).toContain('dominant-feature');
    expect(confounded.behaviourOnly.excluded).toEqual(['session_start_hour']);
    expect(confounded.behaviourOnly.fullAuc).toBe(confounded.evaluation.metrics.rocAuc);
    // behaviour only: what the sessions really tell apart, the same as with an honest clock
    expect(clean.evaluation.metrics.rocAuc).toBeGreaterThan(0.65);
    expect(clean.evaluation.metrics.rocAuc).toBeLessThan(0.85);
    expect(Math.abs(confounded.behaviourOnly.auc - clean.evaluation.metrics.rocAuc)).toBeLessThan(0.03);
    // the behaviour-only run of the clean data equals the confounded one: same rows, folds and seeds, hour dropped
    expect(clean.behaviourOnly.auc).toBeCloseTo(confounded.behaviourOnly.auc, 12);
    // without the artefact, the hour is noise: no dominant-feature warning on it
    expect(clean.warnings.filter((w) => w.feature === 'session_start_hour' && w.code === 'dominant-feature')).toEqual([]);
  }, 60_000);

  it('evaluate repeats the warnings from the model and carries the behaviour-only AUC recorded at training; --group-by sums to the whole', () => {
    const model = join(dir, 'confounded.json'), data = join(dir, 'confounded.csv');
    const trained = train('confounded', true);
    const r = spawnSync('node', ['bin/phantom.js', 'evaluate', model, data, '--json', '--group-by', 'session_start_hour'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.warnings.map((w: { code: string; feature: string }) => `${w.code} ${w.feature}`)).toEqual(['dominant-feature session_start_hour', 'context-feature session_start_hour']);
    expect(r.stderr).toMatch(/CONFOUND \(context-feature\): context feature session_start_hour ranks #1/);
    expect(out.behaviourOnly.auc).toBe(trained.behaviourOnly.auc);
    const groups = out.grouped.perGroup as { n: number; flagged: number }[];
    expect(groups).toHaveLength(15); // hours 0–5 and 9–17
    expect(groups.reduce((a, g) => a + g.n, 0)).toBe(out.metrics.n);
    expect(groups.reduce((a, g) => a + g.flagged, 0)).toBe(out.metrics.confusion.tp + out.metrics.confusion.fp);
    const text = spawnSync('node', ['bin/phantom.js', 'evaluate', model, data], { encoding: 'utf8' });
    expect(text.stdout.split('\n')[0]).toMatch(/^CONFOUND \(dominant-feature\): session_start_hour/);
    expect(text.stdout).toMatch(/ROC-AUC, behaviour only\s+0\.\d+/);
  }, 60_000);

  it('warnings follow the gain shares: > 50% is dominant, a context feature in the top five is named', () => {
    const row = (feature: string, gainShare: number, gain: number): ImportanceRow => ({ feature, gain, cover: 1, weight: 1, gainShare });
    const w = confoundWarnings([row('gap_cv', 0.5, 9), row('a', 0.2, 5), row('b', 0.1, 4), row('c', 0.1, 3), row('d', 0.05, 2), row('browser_family=Chrome', 0.05, 1)]);
    expect(w).toEqual([]); // exactly half is not "more than half"; the context column ranks sixth
    const v = confoundWarnings([row('session_start_hour', 0.51, 9), row('gap_cv', 0.49, 1)]);
    expect(v.map((x) => [x.code, x.feature])).toEqual([['dominant-feature', 'session_start_hour'], ['context-feature', 'session_start_hour']]);
    expect(v[0]!.message).toMatch(/51\.0% of the total gain/);
  });
});
