// The request path's fast paths against the general ones they stand in for: replies answered without a
// promise (eventsReply / priceReply) vs the awaited handlers, normalise with a known depth bound vs without,
// the body depth check's bracket count vs the byte scan, and session blocks in one ArrayBuffer (same bytes).
import { describe, expect, it } from 'vitest';
import { normalise, type NormaliseResult } from '../../src/events/normalise.js';
import { depthExceededAt } from '../../src/serve/body.js';
import { eventsReply, postEvents, postPrice, priceReply, type Reply } from '../../src/serve/handlers.js';
import { resolveServeConfig } from '../../src/serve/options.js';
import { createParts } from '../../src/serve/parts.js';
import { SessionBuffer } from '../../src/serve/session-buffer.js';
import { NO_MODELS } from './app-fixture.js';

const NOW = 1_765_000_000_000;
const parts = () => createParts(resolveServeConfig({ port: 0, policy: 'linucb', seed: 7 }), NO_MODELS, { now: () => NOW, log: () => {} });
const event = (sid: string, k: number, extra: Record<string, unknown> = {}) => ({ sessionId: sid, eventName: k % 2 ? 'page_view' : 'add_item_to_cart', ts: NOW - 1000 * k, productId: `p${k % 3}`, metadata: { price: 100 + k }, ...extra });

/** A reply or the error it was refused with, decision ids blanked (random by design). */
async function outcome(r: () => Reply | Promise<Reply>): Promise<unknown> {
  try {
    const { status, body } = await r();
    return { status, body: JSON.parse(JSON.stringify(body).replace(/"decisionId":"[0-9a-f]{32}"/, '"decisionId":"-"')) };
  } catch (e) {
    const err = e as { status?: number; code?: string; message: string };
    return { error: err.status, code: err.code, message: err.message };
  }
}

describe('request path without promises', () => {
  it('answers events and prices as the awaited handlers do, at once when no Redis round trip is needed', async () => {
    const fast = parts(), slow = parts();
    const bodies: [kind: 'events' | 'price', body: unknown, immediate: boolean][] = [
      ['events', event('a', 1), true],
      ['events', [event('a', 2), { sessionId: 'a' }, event('b', 3, { metadata: { base_price: 90, nested: { deep: [1, 2] } } })], true],
      ['events', Array.from({ length: 70 }, (_, k) => event(`c${k % 5}`, k)), false], // past batchSliceEvents (64): sliced, awaited
      ['events', [{ eventName: 'x' }, 3], true], // all rejected: 400
      ['events', [], true],
      ['price', { sessionId: 'a', productId: 'p1', basePrice: 120 }, true],
      ['price', { sessionId: 'c3', basePrice: 99.5 }, true],
      ['price', { sessionId: 'never-seen', productId: null, basePrice: 10 }, true],
      ['price', { sessionId: 'a', basePrice: -1, extra: true }, true], // zod lists both problems
      ['price', { sessionId: 'a', basePrice: 1e308 }, true], // not finite times the cap: 422
    ];
    for (const [kind, body, immediate] of bodies) {
      let sync: Reply | Promise<Reply> | undefined;
      const a = await outcome(() => (sync = kind === 'events' ? eventsReply(fast, body) : priceReply(fast, body)));
      const b = await outcome(() => (kind === 'events' ? postEvents(slow, body) : postPrice(slow, body)));
      expect(a).toEqual(b);
      if (sync !== undefined) expect(sync instanceof Promise).toBe(!immediate);
    }
    expect(fast.sessions.store.size).toBe(slow.sessions.store.size);
    expect(fast.sessions.store.weight).toBe(slow.sessions.store.weight);
    expect(fast.metrics.value('phantom_events_total', { result: 'accepted', reason: 'none' })).toBe(slow.metrics.value('phantom_events_total', { result: 'accepted', reason: 'none' }));
    expect(fast.metrics.value('phantom_events_total', { result: 'accepted', reason: 'none' })).toBe(73);
  });
});

describe('normalise with a known depth bound', () => {
  const provenance = { topic: null, partition: null, offset: null, timestamp: NOW };
  const nest = (levels: number): unknown => (levels === 0 ? 1 : { a: nest(levels - 1) });
  const values: unknown[] = [
    event('s', 1),
    event('s', 2, { metadata: { base_price: 80, tags: ['x', { y: [1] }] } }),
    event('s', 3, { metadata: nest(31) }), // 31 levels: within the metadata limit (32)
    event('s', 4, { metadata: JSON.stringify(nest(40)) }), // metadata as text: parsed and bounded here, not by the caller
    event('s', 5, { metadata: 'not json' }),
    { key: null, value: { payload: JSON.stringify(event('s', 6, { metadata: nest(40) })) }, partitionID: 1, offset: 2 }, // envelope: payload text
    { value: { payload: event('s', 7, { metadata: nest(3) }) } },
    { sessionId: 's', ts: NOW },
  ];
  it('gives the same rows and rejections as the full walks', () => {
    const results: NormaliseResult[] = [];
    for (const value of values) {
      const general = normalise({ value, provenance });
      const bounded = normalise({ value, provenance }, { depthWithin: 32 });
      expect(bounded).toEqual(general);
      results.push(general);
    }
    // the cases reach both sides: accepted rows, too-deep metadata text and envelope payloads
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['ok', 'ok', 'ok', 'too_deep', 'wrong_type:metadata', 'too_deep', 'ok', 'missing_event_name']);
  });
  it('still walks a value whose bound is past the limits', () => {
    const deep = event('s', 1, { metadata: nest(40) });
    expect(normalise({ value: deep, provenance }, { depthWithin: 100 })).toEqual(normalise({ value: deep, provenance }));
    expect(normalise({ value: deep, provenance }, { depthWithin: 100 }).ok).toBe(false);
  });
});

describe('body depth check', () => {
  /** The byte scan alone (depthExceededAt before its bracket count). */
  function scan(buf: Uint8Array, limit: number): number {
    let depth = 0, inString = false;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if (inString) {
        if (c === 0x5c) i++;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      else if (c === 0x5b || c === 0x7b) {
        if (++depth > limit) return i;
      } else if (c === 0x5d || c === 0x7d) depth--;
    }
    return -1;
  }
  it('agrees with the byte scan, brackets inside strings and escapes included', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['{', '[', '}', ']', '"', '\\"', '"[{"', 'a', ',', '\\\\', 'é'];
    let exceeded = 0;
    for (let t = 0; t < 1000; t++) {
      const text = Array.from({ length: 1 + Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const buf = Buffer.from(text);
      for (const limit of [1, 2, 3, 5, 8]) {
        const want = scan(buf, limit);
        expect(depthExceededAt(buf, limit)).toBe(want);
        expect(depthExceededAt(new Uint8Array(buf), limit)).toBe(want);
        if (want >= 0) exceeded++;
      }
    }
    expect(exceeded).toBeGreaterThan(300);
  });
});

describe('session blocks in one ArrayBuffer', () => {
  it('hold the bytes two blocks held (5 float64 and 6 int32 columns per row reserved), so sessionBytes is unchanged', () => {
    const b = new SessionBuffer('s');
    for (let n = 0; n < 40; n++) {
      const cap = Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(1, n))));
      expect(b.bytes).toBe(8 * 5 * cap + 4 * 6 * cap);
      b.append([NOW + n, 'page_view', null, `p${n}`, n, null, null, 'UA', null, -1, n]);
    }
    expect(b.storedRow(39)).toEqual([NOW + 39, 'page_view', null, 'p39', 39, null, null, 'UA', null, -1, 39]);
    expect(b.storedRow(3)).toEqual([NOW + 3, 'page_view', null, 'p3', 3, null, null, 'UA', null, -1, 3]);
  });
});
