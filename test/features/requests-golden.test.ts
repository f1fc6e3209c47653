// The `requests` group against an independent pandas implementation (test/oracles/requests.py) on 80 seeded
// random sessions with nulls in every request column, timestamp ties and tracker events mixed in.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeSessionFeatures, DEFAULT_FEATURE_OPTIONS, loadEventsParquet } from '../../src/features/index.js';
import { REQUEST_ENTRIES } from '../../src/features/request-specs.js';
import { writeRequestEvents, type RequestRow } from './request-events.js';

const dir = mkdtempSync(join(tmpdir(), 'phantom-requests-golden-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const golden = JSON.parse(readFileSync('test/golden/requests.json', 'utf8')) as { sessions: Record<string, Record<string, number | null>> };
const rows = readFileSync('test/features/data/request-events.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RequestRow);

describe('requests features vs pandas (test/oracles/requests.py)', () => {
  it('every feature of every session agrees (floats to 1e-9 relative, counts and flags exactly)', async () => {
    const file = join(dir, 'events.parquet');
    await writeRequestEvents(file, rows, ['resource_kind', 'method', 'path', 'query', 'status', 'bytes', 'referrer']);
    const t = computeSessionFeatures(await loadEventsParquet(file, { baseFirst: false }), DEFAULT_FEATURE_OPTIONS).table;
    expect(t.nSessions).toBe(Object.keys(golden.sessions).length);
    const bad: string[] = [];
    for (const [id, expected] of Object.entries(golden.sessions)) {
      const s = t.sessionIds.indexOf(id);
      for (const f of REQUEST_ENTRIES) {
        const got = t.columns[f.name]![s]!, want = expected[f.name];
        if (want === null || want === undefined) {
          if (!Number.isNaN(got)) bad.push(`${id} ${f.name}: ${got}, expected null`);
        } else if (!(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)))) bad.push(`${id} ${f.name}: ${got}, expected ${want}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
