import { describe, expect, it } from 'vitest';
import { jsonTextDepth, parseBoundedJson, RECORD_LIMITS, valueDepth } from '../../src/events/bounded-json.js';

// Fast paths of src/events/bounded-json.ts: a text with at most maxDepth brackets skips the depth scan;
// a flat value skips the explicit stack. Both must decide exactly as the full scans do.
describe('bounded JSON fast paths', () => {
  it('rejects by depth exactly when the full scan does, whatever the bracket count', () => {
    const texts = [
      `{"a":"${'['.repeat(200)}"}`, // many brackets, all inside a string: depth 1
      `${'['.repeat(64)}${']'.repeat(64)}`, // 64 brackets, depth 64
      `${'['.repeat(65)}${']'.repeat(65)}`, // depth 65
      `[${'{"a":"{"},'.repeat(70)}1]`, // 71 '{' outside or in strings, depth 2
      `${'{"a":'.repeat(33)}[${'[1],'.repeat(40)}1]${'}'.repeat(33)}`, // depth 35, 74 brackets
    ];
    for (const t of texts) {
      const deep = jsonTextDepth(t) > RECORD_LIMITS.maxDepth;
      const r = parseBoundedJson(t, RECORD_LIMITS);
      expect(r.ok ? 'ok' : r.reason, t.slice(0, 40)).toBe(deep ? 'too_deep' : 'ok');
      if (r.ok) expect(valueDepth(r.value)).toBe(jsonTextDepth(t));
    }
  });

  it('gives flat and nested values their depth', () => {
    expect(valueDepth({ price: 110, roomType: 'standard-double', note: null })).toBe(1);
    expect(valueDepth([1, 'a', null])).toBe(1);
    expect(valueDepth({})).toBe(1);
    expect(valueDepth('x')).toBe(0);
    expect(valueDepth({ a: { b: [1] } })).toBe(3);
    expect(valueDepth({ a: 1, b: [] }, 1)).toBe(2);
  });
});
