import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkJsonText, jsonTextDepth, METADATA_LIMITS, parseBoundedJson, RECORD_LIMITS, stringifyAnyDepth, stringifyBounded, valueDepth } from '../../src/events/bounded-json.js';
import { hostTag, removeStaleTemps } from '../../src/io/atomic.js';

const nest = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('bounded JSON', () => {
  it('measures depth of text without counting brackets inside strings or after escapes, and of parsed values alike', () => {
    const samples = ['1', '{}', '{"a":[1,{"b":"]"}]}', '["\\"[[["]', '{"a":"\\\\"}', nest(40), '[{"x":[[]]},{}]'];
    for (const s of samples) expect(jsonTextDepth(s), s).toBe(valueDepth(JSON.parse(s)));
    expect(jsonTextDepth('{"a":[1,{"b":"]"}]}')).toBe(3);
    expect(jsonTextDepth(nest(100_000), 64)).toBe(65); // stops right past the limit
  });

  it('rejects too deep and too large text before parsing, and names a byte-order mark', () => {
    expect(parseBoundedJson(nest(65), RECORD_LIMITS)).toMatchObject({ ok: false, reason: 'too_deep' });
    expect(parseBoundedJson(nest(64), RECORD_LIMITS).ok).toBe(true);
    expect(checkJsonText(`"${'é'.repeat(40_000)}"`, METADATA_LIMITS)).toMatchObject({ ok: false, reason: 'too_large', detail: 'value is 80002 bytes, more than 65536' });
    expect(parseBoundedJson('\uFEFF{}', RECORD_LIMITS)).toMatchObject({ ok: false, reason: 'invalid_json', detail: expect.stringMatching(/byte-order mark/) });
    expect(stringifyBounded(JSON.parse(nest(5000)), METADATA_LIMITS)).toMatchObject({ ok: false, reason: 'too_deep' });
  });

  it('serialises values of any depth as JSON.stringify would', () => {
    const plain = { a: [1, 'x', null, true, { b: undefined, c: new Date(0) }], d: -0.5, e: undefined };
    expect(stringifyAnyDepth(plain)).toBe(JSON.stringify(plain));
    const deep = JSON.parse(`${'{"k":['.repeat(20_000)}1${']}'.repeat(20_000)}`) as unknown;
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const text = stringifyAnyDepth(deep);
    expect(text.length).toBe(20_000 * 8 + 1);
    expect(text.startsWith('{"k":[{"k":[')).toBe(true);
  });
});

describe('temporary files of dead processes', () => {
  it('removes those of gone processes of this host (nested temp names too), keeps live ones and other names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'phantom-temps-'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const names = [
      `.events.parquet.tmp-${hostTag()}-${dead}-0a1b2c3d`,
      `..events.parquet.tmp-${hostTag()}-${dead}-0a1b2c3d.tmp-${hostTag()}-${dead}-11111111`,
      `.events.parquet.tmp-${dead}-22222222`, // an older name without the host
      `.events.parquet.tmp-${hostTag()}-${process.pid}-33333333`, // alive: this process
      `.events.parquet.tmp-otherhost-${dead}-44444444`, // another host's: cannot be asked
      `.other.parquet.tmp-${hostTag()}-${dead}-55555555`, // not a name asked about
      'events.parquet',
    ];
    for (const n of names) writeFileSync(join(dir, n), 'x');
    const removed = await removeStaleTemps(dir, ['events.parquet']);
    expect(removed.length).toBe(3);
    expect(readdirSync(dir).sort()).toEqual(names.slice(3).sort());
  });
});
