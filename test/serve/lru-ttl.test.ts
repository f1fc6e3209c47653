import { describe, expect, it } from 'vitest';
import { LruTtlMap } from '../../src/serve/lru-ttl.js';

describe('LruTtlMap', () => {
  it('evicts the least recently used entry past max, and a get counts as use', () => {
    const evicted: string[] = [];
    const m = new LruTtlMap<number>(3, 1000, () => 0, (k, _v, why) => evicted.push(`${k}:${why}`));
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect(m.get('a')).toBe(1); // a is now the most recent
    m.set('d', 4);
    expect(evicted).toEqual(['b:lru']);
    expect(m.size).toBe(3);
    expect([...m.values()]).toEqual([3, 1, 4]);
  });

  it('expires entries idle longer than the TTL, on read and on sweep', () => {
    let now = 0;
    const evicted: string[] = [];
    const m = new LruTtlMap<string>(10, 100, () => now, (k, _v, why) => evicted.push(`${k}:${why}`));
    m.set('x', 'X');
    m.set('y', 'Y');
    now = 60;
    expect(m.get('y')).toBe('Y'); // touched at 60
    now = 150;
    expect(m.peek('x')).toBeUndefined();
    expect(m.get('x')).toBeUndefined();
    expect(m.get('y')).toBe('Y');
    now = 400;
    expect(m.sweep()).toBe(1);
    expect(m.size).toBe(0);
    expect(evicted).toEqual(['x:ttl', 'y:ttl']);
  });

  it('stays bounded under a long stream of new keys', () => {
    const m = new LruTtlMap<number>(50, 1e9, () => 0);
    for (let i = 0; i < 10_000; i++) m.set(`k${i}`, i);
    expect(m.size).toBe(50);
    expect(m.get('k9999')).toBe(9999);
    expect(m.get('k0')).toBeUndefined();
  });

  it('stays within its weight bound too: least recent first, the newest entry always kept', () => {
    const evicted: string[] = [];
    const m = new LruTtlMap<string>(100, 1000, () => 0, (k, _v, why) => evicted.push(`${k}:${why}`), 10);
    m.set('a', 'a', 4);
    m.set('b', 'b', 4);
    expect(m.weight).toBe(8);
    m.get('a'); // a is now the most recent
    m.set('c', 'c', 4);
    expect(evicted).toEqual(['b:lru']);
    expect(m.weight).toBe(8);
    m.get('a');
    m.reweigh('a', 9); // a (just used) grew: c, now the least recent, goes
    expect(evicted).toEqual(['b:lru', 'c:lru']);
    m.set('huge', 'h', 50); // heavier than the bound alone: everything older goes, it stays
    expect([...m.keys()]).toEqual(['huge']);
    expect(m.weight).toBe(50);
    expect(m.delete('huge')).toBe(true);
    expect(m.weight).toBe(0);
  });
});
