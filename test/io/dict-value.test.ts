import { describe, expect, it } from 'vitest';
import { dictValue } from '../../src/io/arrow-columns.js';
import { EventsBuilder, rowAt } from '../../src/events/table.js';

describe('dictValue: the checked read of a dictionary column', () => {
  const c = { codes: Int32Array.of(1, -1, 0, 5), dict: ['a', 'b'] };

  it('decodes a code and reads −1 as null', () => {
    expect([0, 1, 2].map((i) => dictValue(c, i))).toEqual(['b', null, 'a']);
  });

  it('a row outside the column or a code outside the dictionary is a RangeError naming both', () => {
    expect(() => dictValue(c, 4)).toThrow(new RangeError('row 4 is outside a dictionary column of 4 rows'));
    expect(() => dictValue(c, 3)).toThrow(new RangeError('row 3 has code 5, outside its dictionary of 2 entries'));
  });

  it('rowAt refuses a row outside the table instead of returning undefined fields', () => {
    const empty = new EventsBuilder(16).flush();
    expect(() => rowAt(empty, 0)).toThrow(/rowAt: row 0 is outside the table's 0 rows/);
  });
});
