/**
 * Imported by pg-module.ts just before pg, and undone just after it: pg 8 decides once, as it loads,
 * whether it runs in a Cloudflare Worker (`isCloudflareRuntime` in pg/lib/stream.js). Where `navigator`
 * is undefined, as on Node 20, it asks by constructing a fetch `Response`, which makes Node load its
 * bundled undici (fetch, its dispatchers and web streams): ~25 ms of CPU at the start of every Postgres
 * read, for an answer that is always "no" here. Node 21 and later define `navigator` (user agent
 * `Node.js/…`) and pg takes its cheap test instead; this gives Node 20 the same for that moment only.
 */
const g = globalThis as { navigator?: unknown };

/** Whether this module defined `navigator` (pg-module.ts removes it again once pg has loaded). */
export const navigatorDefinedHere = g.navigator === undefined;
if (navigatorDefinedHere) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true, writable: true });
