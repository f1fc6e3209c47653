import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../src/serve/work-queue.js';

describe('WorkQueue', () => {
  it('applies items off the caller’s turn, in order, and drain() waits for all of them', async () => {
    const seen: number[] = [];
    const q = new WorkQueue<number>(async (n) => {
      await new Promise((r) => setTimeout(r, 0));
      seen.push(n);
    }, 1000, 7);
    for (let i = 0; i < 100; i++) expect(q.push(i)).toBe(true);
    expect(seen).toEqual([]); // nothing ran synchronously
    expect(q.depth).toBe(100);
    await q.drain();
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(q.depth).toBe(0);
    expect(q.applied).toBe(100);
  });

  it('refuses items past capacity and keeps going after a failing item', async () => {
    const errors: unknown[] = [];
    const q = new WorkQueue<number>((n) => {
      if (n === 1) throw new Error('boom');
    }, 3, 256, (e) => errors.push(e));
    expect([q.push(0), q.push(1), q.push(2), q.push(3)]).toEqual([true, true, true, false]);
    await q.drain();
    expect(q.applied).toBe(2);
    expect(q.failed).toBe(1);
    expect(errors).toHaveLength(1);
    expect(q.push(4)).toBe(true);
    await q.drain();
    expect(q.applied).toBe(3);
  });
});
