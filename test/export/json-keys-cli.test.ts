// `export --json` in camelCase, with the snake_case keys of earlier releases kept (docs/contract.md, "JSON key
// casing"): the same numbers under both spellings; reason codes and event names keep their spelling.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { camelCaseKeys } from '../../src/report/json-keys.js';
import { EXPORT_SUMMARY_DATA_MAPS } from '../../src/export/summary.js';
import { phantom } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'export-json-keys-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every key path of a JSON value, arrays as []. */
function paths(v: unknown, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => paths(x, `${at}[]`));
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...paths(x, `${at}.${k}`)]);
}

describe('export --json key casing', () => {
  it('camelCase keys, old snake_case keys with the same values, data maps as they are', () => {
    const input = join(work, 'e.jsonl');
    writeFileSync(input, [
      '{"sessionId":"s1","eventName":"page_view","ts":"2025-01-12T10:00:00Z"}',
      '{"sessionId":"s1","eventName":"hover_xyz","ts":"2025-01-12T10:00:01Z"}',
      '{"sessionId":"s2","eventName":"page_view","ts":"yesterday"}',
    ].join('\n'));
    const r = phantom(['export', '--from', 'file', input, '-o', join(work, 'e.parquet'), '--json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ recordsRead: 3, recordsWritten: 2, deadLettered: { total: 1, byReason: { bad_timestamp: 1 } }, unknownEvents: { byName: { hover_xyz: 1 } }, stoppedBy: 'end' });
    const pairs: [string, string][] = [['recordsRead', 'records_read'], ['recordsWritten', 'records_written'], ['deadLettered', 'dead_lettered'], ['unknownEvents', 'unknown_events'],
      ['timeRange', 'time_range'], ['filesWritten', 'files_written'], ['deadLetterFile', 'dead_letter_file'], ['stoppedBy', 'stopped_by']];
    for (const [camel, snake] of pairs) expect(j[camel]).toEqual(camelCaseKeys(j[snake], EXPORT_SUMMARY_DATA_MAPS));
    expect(j.duplicates).toMatchObject({ alreadyExported: 0, already_exported: 0 });
    // the camelCase half has no underscore in a key, but for the data maps' keys
    const camelHalf = Object.fromEntries(Object.entries(j).filter(([k]) => !k.includes('_')));
    const snakeInCamel = paths(camelHalf).filter((p) => /_[^.]*$/.test(p) && !/\.(byReason|byName)\.[^.]+$/.test(p) && !/\.(already_exported|unknown_experiment_\w+|published_for_others)$/.test(p));
    expect(snakeInCamel).toEqual([]);
  });
});
