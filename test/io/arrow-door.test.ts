// src/io/arrow.ts serves apache-arrow's single-file build (docs/perf/startup-imports.md). It must be the
// same library as the package's ESM entry: same version, same IPC bytes for every column type phantom
// writes, and each build must read what the other wrote.
import * as esm from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import * as door from '../../src/io/arrow.js';

type Lib = typeof esm;

/** A table of every column type phantom writes, nulls included, built with one library. */
function build(a: Lib): esm.Table {
  const ts = new a.TimestampMillisecond();
  const dictType = new a.Dictionary(new a.Utf8(), new a.Int32(), 0);
  const dict = a.makeData({ type: dictType, length: 3, nullCount: 1, nullBitmap: Uint8Array.of(0b101), data: Int32Array.of(1, 0, 1), dictionary: a.vectorFromArray(['click', 'view'], new a.Utf8()) });
  return new a.Table({
    s: a.vectorFromArray(['a', null, 'ünï'], new a.Utf8()),
    i: a.vectorFromArray([1, -2, null], new a.Int32()),
    l: a.vectorFromArray([1n, null, 2n ** 40n], new a.Int64()),
    f: a.vectorFromArray([0.5, Number.NaN, null], new a.Float64()),
    b: a.vectorFromArray([true, null, false], new a.Bool()),
    t: a.vectorFromArray([0, 1_700_000_000_123, null], ts),
    d: a.makeVector(dict),
  });
}

describe('src/io/arrow.ts (apache-arrow single-file build)', () => {
  it('is the single-file build, and defines every name it re-exports', () => {
    expect(door.tableFromIPC).not.toBe(esm.tableFromIPC); // really the other build, not the ESM tree
    const missing = Object.entries(door).filter(([, v]) => v === undefined).map(([k]) => k);
    expect(missing).toEqual([]);
    for (const [name, value] of Object.entries(door)) expect(typeof value, name).toBe(typeof (esm as Record<string, unknown>)[name]);
  });

  it('writes the same IPC bytes as the ESM build, and each reads the other', () => {
    const viaDoor = door.tableToIPC(build(door as unknown as Lib));
    const viaEsm = esm.tableToIPC(build(esm));
    expect(Buffer.from(viaDoor).equals(Buffer.from(viaEsm))).toBe(true);
    const back = door.tableFromIPC(viaEsm);
    expect(back.toArray().map((r) => r.toJSON())).toEqual(esm.tableFromIPC(viaDoor).toArray().map((r) => r.toJSON()));
    expect(back.getChild('d')?.toArray()).toEqual(['view', null, 'view']);
    expect(back.getChild('l')?.get(2)).toBe(2n ** 40n);
    expect(back.getChild('t')?.type.typeId).toBe(esm.Type.Timestamp);
  });
});
