import { snappyUncompress } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { parquetCodec } from '../../src/io/parquet-codecs.js';
import { bitWidth, writeHybrid, writePlainStrings } from '../../src/io/parquet-encode.js';
import { snappyCompress } from '../../src/io/snappy.js';
import { ByteSink, CompactWriter } from '../../src/io/thrift-compact.js';
import { createRng } from '../../src/stats/rng.js';

/** Reference decoder of the RLE/bit-packed hybrid (the Parquet spec, written plainly). */
function decodeHybrid(bytes: Uint8Array, width: number, count: number): number[] {
  const out: number[] = [];
  let pos = 0;
  const varint = (): number => {
    let shift = 0, v = 0;
    for (;;) {
      const b = bytes[pos++]!;
      v += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return v;
      shift += 7;
    }
  };
  while (out.length < count) {
    const h = varint();
    if (h % 2 === 0) {
      let v = 0;
      for (let k = 0; k < Math.ceil(width / 8); k++) v += bytes[pos++]! * 2 ** (8 * k);
      for (let k = 0; k < h / 2; k++) out.push(v);
    } else {
      const n = ((h - 1) / 2) * 8;
      let bit = pos * 8;
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let j = 0; j < width; j++, bit++) if (bytes[bit >> 3]! & (1 << (bit & 7))) v += 2 ** j;
        out.push(v);
      }
      pos += ((h - 1) / 2) * width;
    }
  }
  expect(pos).toBe(bytes.length);
  return out.slice(0, count);
}

describe('bitWidth', () => {
  it('is the minimal width, at least 1', () => {
    expect([0, 1, 2, 3, 4, 255, 256, 65535, 65536, 2 ** 31 - 1].map(bitWidth)).toEqual([1, 1, 2, 2, 3, 8, 9, 16, 17, 31]);
  });
});

describe('writeHybrid', () => {
  it.each([1, 2, 3, 7, 8, 13, 17, 24, 25, 31])('round-trips runs and noise at width %i', (width) => {
    const rng = createRng(width);
    const r = (): number => rng.next();
    const max = 2 ** width - 1;
    for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000]) {
      const values = new Int32Array(n);
      for (let i = 0; i < n; ) {
        const run = r() < 0.3 ? 1 + Math.floor(r() * 40) : 1;
        const v = Math.floor(r() * (max + 1));
        for (let k = 0; k < run && i < n; k++) values[i++] = v;
      }
      const sink = new ByteSink(16);
      writeHybrid(sink, values, width);
      expect(decodeHybrid(sink.view(), width, n)).toEqual([...values]);
    }
  });

  it('writes a long run as one RLE run', () => {
    const sink = new ByteSink(16);
    writeHybrid(sink, new Uint8Array(100_000).fill(1), 1);
    expect([...sink.view()]).toEqual([0xc0, 0x9a, 0x0c, 1]); // varint(200000), value 1
  });
});

describe('writePlainStrings', () => {
  it('writes 4-byte lengths and UTF-8, skipping nulls', () => {
    const sink = new ByteSink(1);
    writePlainStrings(sink, ['a', null, '', 'ü€😀', 'x'.repeat(300)], 0, 5);
    const expected = Buffer.concat(['a', '', 'ü€😀', 'x'.repeat(300)].map((s) => {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      return Buffer.concat([len, b]);
    }));
    expect(Buffer.from(sink.view()).equals(expected)).toBe(true);
  });
});

describe('CompactWriter', () => {
  it('writes field deltas, long jumps, zigzag integers and lists as the compact protocol does', () => {
    const w = new CompactWriter();
    w.structBegin();
    w.fieldI32(1, -1);
    w.fieldI64(2, 2 ** 40);
    w.fieldBool(3, true);
    w.fieldList(20, 5, 2);
    w.i32(3);
    w.i32(-3);
    w.structEnd();
    expect([...w.sink.view()]).toEqual([
      0x15, 0x01, // field 1 i32: zigzag(−1) = 1
      0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, // field 2 i64: zigzag(2^40) = 2^41
      0x11, // field 3 bool true
      0x09, 0x28, 0x25, 0x06, 0x05, // field 20 (id as zigzag varint 40), list of 2 i32: 6, 5
      0x00,
    ]);
  });
});

describe('snappyCompress', () => {
  const rng = createRng(7);
  const inputs: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['short', Buffer.from('hello')],
    ['repetitive', Buffer.from('{"a":1,"b":"xyz"}'.repeat(10_000))],
    ['random', Uint8Array.from({ length: 100_000 }, () => Math.floor(rng.next() * 256))],
    ['mixed over several 64 KiB blocks', Uint8Array.from({ length: 300_000 }, (_, i) => (i % 1000 < 500 ? i % 7 : Math.floor(rng.next() * 256)))],
    ['long runs', new Uint8Array(200_000).fill(42)],
  ];
  it.each(inputs)('is decoded by hyparquet and hysnappy (%s)', (_name, input) => {
    const packed = snappyCompress(input);
    const out = new Uint8Array(input.length);
    snappyUncompress(packed, out);
    expect(Buffer.from(out).equals(Buffer.from(input))).toBe(true);
    expect(Buffer.from(compressors.SNAPPY!(packed, input.length)).equals(Buffer.from(input))).toBe(true);
  });
  it('compresses repetitive text', () => {
    expect(snappyCompress(Buffer.from('abcdefgh'.repeat(10_000))).length).toBeLessThan(4_000);
  });
});

describe('parquetCodec', () => {
  it.each(['zstd', 'gzip', 'snappy', 'none'] as const)('%s pages decompress to the input', async (name) => {
    const codec = await parquetCodec(name);
    const input = Buffer.from(`${'phantom '.repeat(5_000)}ü€😀`);
    const packed = codec.compress(input);
    const back = name === 'none' ? packed : name === 'zstd' ? compressors.ZSTD!(packed, input.length) : name === 'gzip' ? compressors.GZIP!(packed, input.length) : compressors.SNAPPY!(packed, input.length);
    expect(Buffer.from(back).equals(input)).toBe(true);
  });
});
