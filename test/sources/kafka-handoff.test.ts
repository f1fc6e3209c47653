import { describe, expect, it } from 'vitest';
import { BatchHandoff } from '../../src/sources/kafka-handoff.js';

describe('BatchHandoff', () => {
  it('releases a producer only when the consumer comes back for the next item', async () => {
    const h = new BatchHandoff<number>();
    const events: string[] = [];
    const producer = (async () => {
      for (const n of [1, 2]) {
        await h.put(n);
        events.push(`released ${n}`);
      }
      h.close();
    })();
    const a = await h.take();
    events.push(`took ${a}`);
    await new Promise((r) => setTimeout(r, 5));
    expect(events).toEqual(['took 1']); // still holding item 1
    const b = await h.take();
    events.push(`took ${b}`);
    expect(await h.take()).toBeUndefined();
    await producer;
    expect(events).toEqual(['took 1', 'released 1', 'took 2', 'released 2']);
  });

  it('close() still hands out queued items; abort(error) fails the waiting consumer and frees producers', async () => {
    const h = new BatchHandoff<string>();
    const put = h.put('x');
    h.close();
    expect(await h.take()).toBe('x');
    expect(await h.take()).toBeUndefined();
    await put;

    const g = new BatchHandoff<string>();
    const waiting = g.take();
    g.abort(new Error('broker gone'));
    await expect(waiting).rejects.toThrow('broker gone');
    await g.put('late'); // resolves at once
    await expect(g.take()).rejects.toThrow('broker gone');
  });
});
