// One JSON key casing (docs/contract.md): camelCase keys, data-keyed maps left alone, and the snake_case
// originals kept beside them for one release so every old path still resolves.
import { describe, expect, it } from 'vitest';
import { camelCaseKeys, camelKey, withSnakeCaseAliases } from '../../src/report/json-keys.js';

const DATA = new Set(['by_reason']);
const doc = { records_written: 3, source: 'file', dead_lettered: { total: 1, by_reason: { bad_timestamp: 1 } }, duplicates: { already_exported: 2 }, list: [{ a_b: 1 }], n: null };

describe('JSON key casing', () => {
  it('camelKey', () => {
    expect(['records_written', 'a_b_c', 'ts_from_broker', 'p95_ms', 'plain', 'already-exported'].map(camelKey))
      .toEqual(['recordsWritten', 'aBC', 'tsFromBroker', 'p95Ms', 'plain', 'already-exported']);
  });

  it('camelCaseKeys re-cases every key but those inside data maps', () => {
    expect(camelCaseKeys(doc, DATA)).toEqual({
      recordsWritten: 3, source: 'file', deadLettered: { total: 1, byReason: { bad_timestamp: 1 } }, duplicates: { alreadyExported: 2 }, list: [{ aB: 1 }], n: null,
    });
  });

  it('withSnakeCaseAliases: camelCase first, then the old keys with their old values; old and new paths agree', () => {
    const out = withSnakeCaseAliases(doc, DATA) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['recordsWritten', 'source', 'deadLettered', 'duplicates', 'list', 'n', 'records_written', 'dead_lettered']);
    expect(out).toMatchObject({ recordsWritten: 3, records_written: 3, deadLettered: { byReason: { bad_timestamp: 1 } }, dead_lettered: doc.dead_lettered });
    expect(out.duplicates).toEqual({ alreadyExported: 2, already_exported: 2 });
    expect(out.list).toEqual([{ aB: 1, a_b: 1 }]);
    expect(doc.duplicates).toEqual({ already_exported: 2 }); // input untouched
  });

  it('a predicate marks data keys by path: XGBoost names kept beside camelCased own keys, the same name elsewhere re-cased', () => {
    const d = { classifier: { params: { max_depth: 6, rounds_final: 9 } }, distill: { max_depth: 5 } };
    const xgb = (path: readonly string[], key: string) => path.join('.') === 'classifier.params' && key === 'max_depth';
    expect(camelCaseKeys(d, xgb)).toEqual({ classifier: { params: { max_depth: 6, roundsFinal: 9 } }, distill: { maxDepth: 5 } });
    expect(withSnakeCaseAliases(d, xgb)).toEqual({
      classifier: { params: { max_depth: 6, roundsFinal: 9, rounds_final: 9 } }, distill: { maxDepth: 5, max_depth: 5 },
    });
  });
});
