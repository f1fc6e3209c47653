// Must-show 3 of issue 16 end to end from events: sessions from `phantom generate`, timestamps shifted so
// every human session starts in office hours and every agent session at night (a collection artefact),
// then `phantom features` and `phantom train-classifier` — against the same sessions with their own clock.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'phantom-confound-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function phantom(args: string[]): string {
  const r = spawnSync('node', ['bin/phantom.js', ...args], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Move each session whole (gaps kept, to the ms) to start on its own day at hour 9–17 (humans) or 0–5 (agents). */
function plantClock(events: string, agentExperiments: Set<string>): string {
  const rows = events.trim().split('\n').map((l) => JSON.parse(l) as { sessionId: string; experimentId: string; ts: string });
  const first = new Map<string, number>();
  for (const r of rows) first.set(r.sessionId, Math.min(first.get(r.sessionId) ?? Infinity, Date.parse(r.ts)));
  const shift = new Map<string, number>();
  let k = 0;
  for (const [id, t0] of first) {
    const agent = agentExperiments.has(rows.find((r) => r.sessionId === id)!.experimentId);
    const day = Math.floor(t0 / 86_400_000) * 86_400_000;
    const hour = agent ? k % 6 : 9 + (k % 9);
    shift.set(id, day + hour * 3_600_000 + (t0 % 3_600_000) - t0);
    k++;
  }
  return `${rows.map((r) => JSON.stringify({ ...r, ts: new Date(Date.parse(r.ts) + shift.get(r.sessionId)!).toISOString() })).join('\n')}\n`;
}

describe('confound audit on generated events with a planted clock', () => {
  it('names session_start_hour, and the behaviour-only AUC equals the clean run without the clock and is within 0.02 of its full AUC', () => {
    const events = join(dir, 'events.jsonl'), xp = join(dir, 'xp.csv');
    phantom(['generate', '-n', '400', '--seed', '16', '-o', events, '--experiments-out', xp, '--quiet']);
    const agents = new Set(readFileSync(xp, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((c) => c[3] === 'false').map((c) => c[0]!));
    const planted = join(dir, 'planted.jsonl');
    writeFileSync(planted, plantClock(readFileSync(events, 'utf8'), agents));
    const run = (input: string, name: string) => {
      phantom(['features', input, '--experiments-from', xp, '-o', join(dir, `${name}.parquet`), '--quiet']);
      return JSON.parse(phantom(['train-classifier', join(dir, `${name}.parquet`), '-o', join(dir, `${name}.json`), '--json', '--seed', '3', '-w', '2']));
    };
    const clean = run(events, 'clean'), confounded = run(planted, 'planted');
    const hourWarnings = confounded.warnings.filter((w: { feature: string }) => w.feature === 'session_start_hour').map((w: { code: string }) => w.code);
    expect(hourWarnings).toContain('context-feature');
    expect(confounded.importance[0].feature).toBe('session_start_hour');
    expect(confounded.behaviourOnly.excluded).toEqual(expect.arrayContaining(['session_start_hour', 'is_headless', 'is_automation']));
    expect(confounded.behaviourOnly.auc).toBe(clean.behaviourOnly.auc); // the clock was the only change
    expect(Math.abs(confounded.behaviourOnly.auc - clean.evaluation.metrics.rocAuc)).toBeLessThan(0.02);
  }, 120_000);
});
