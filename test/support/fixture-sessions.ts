// The bundled fixture's events (fixtures/events.jsonl) as serve stores them, grouped by session in file
// order: what the serve tests load into session buffers. Records normalise() rejects are left out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalise } from '../../src/events/normalise.js';
import { toStoredRow, type StoredRow } from '../../src/serve/session-buffer.js';
import { ROOT } from './cli.js';

/** sessionId → its stored rows, in the fixture's order. */
export function fixtureStoredSessions(): Map<string, StoredRow[]> {
  const bySession = new Map<string, StoredRow[]>();
  for (const line of readFileSync(join(ROOT, 'fixtures/events.jsonl'), 'utf8').split('\n')) {
    if (line === '') continue;
    const r = normalise({ value: JSON.parse(line), provenance: { topic: null, partition: null, offset: null, timestamp: 0 } });
    if (!r.ok) continue;
    const rows = bySession.get(r.row.sessionId) ?? [];
    rows.push(toStoredRow(r.row));
    bySession.set(r.row.sessionId, rows);
  }
  return bySession;
}
