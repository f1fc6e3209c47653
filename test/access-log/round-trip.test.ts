// Round trip (docs/access-logs.md): generated sessions written as a combined access log → export with
// the bundled event rules and the labels CSV → features → classifier, against the same sessions exported
// as tracker events. The rules must give back every tracker event; the cross-validated ROC-AUC of the
// two must agree within 0.02.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEventsParquet } from '../../src/events/events-parquet.js';
import type { EventsTable } from '../../src/events/table.js';
import { phantom, ROOT } from '../support/cli.js';

const RULES = join(ROOT, 'fixtures/access-event-rules.json');

function ok(args: string[]): string {
  const r = phantom(args);
  if (r.code !== 0) throw new Error(`phantom ${args.join(' ')} → ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function nameCounts(t: EventsTable): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < t.length; i++) {
    const name = t.eventName.dict[t.eventName.codes[i]!]!;
    if (name !== 'request') out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

const auc = (sessions: string, dir: string): { auc: number; features: string[] } => {
  const j = JSON.parse(ok(['train-classifier', sessions, '-o', join(dir, 'model.json'), '--json', '-q', '-w', '1'])) as { evaluation: { metrics: { rocAuc: number } }; features: string[] };
  return { auc: j.evaluation.metrics.rocAuc, features: j.features };
};

describe('access log round trip', () => {
  it('recovers every session, label and tracker event, and the classifier AUC within 0.02', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-access-rt-'));
    const gen = ['-n', '400', '--seed', '7', '-q'];
    ok(['generate', ...gen, '--format', 'access-log', '-o', join(dir, 'access.log')]);
    const summary = JSON.parse(ok(['export', '--from', 'access-log', join(dir, 'access.log'), '--labels', join(dir, 'access-labels.csv'), '--event-rules', RULES, '-o', join(dir, 'log-events.parquet'), '--json', '-q'])) as {
      sessions: number; dead_lettered: { total: number }; labels: { unlabelled: number };
    };
    expect(summary).toMatchObject({ sessions: 400, dead_lettered: { total: 0 }, labels: { unlabelled: 0 } });
    ok(['generate', ...gen, '-o', join(dir, 'tracker-events.parquet')]);
    const fromLog = await readEventsParquet(join(dir, 'log-events.parquet'));
    const fromTracker = await readEventsParquet(join(dir, 'tracker-events.parquet'));
    expect(nameCounts(fromLog)).toEqual(nameCounts(fromTracker));

    ok(['features', join(dir, 'log-events.parquet'), '-o', join(dir, 'log-sessions.parquet'), '-q']);
    ok(['features', join(dir, 'tracker-events.parquet'), '-o', join(dir, 'tracker-sessions.parquet'), '-q']);
    const log = auc(join(dir, 'log-sessions.parquet'), dir);
    const tracker = auc(join(dir, 'tracker-sessions.parquet'), dir);
    expect(log.features).not.toContain('kind'); // the labels' pass-through column is never a feature
    expect(Math.abs(log.auc - tracker.auc)).toBeLessThanOrEqual(0.02);
  }, 240_000);
});
