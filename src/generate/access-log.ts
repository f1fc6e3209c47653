/**
 * `phantom generate --format access-log`: the generated sessions as a web server would have logged them
 * (Apache/nginx `combined` format, UTC), plus a labels CSV (client_address, user_agent, label, kind) so
 * `phantom export --from access-log --labels` can put the classes back. Each tracker event becomes the
 * request a shop would have served (URL scheme below; fixtures/access-event-rules.json maps it back).
 * Page loads pull their assets for humans and for browser-driven agents (headless, automation-tagged,
 * and a share of agents with ordinary browser strings); the other agents fetch HTML only, and some of
 * them read /robots.txt first. Every session has its own client address (10.0.0.0/8, every fifth one
 * from 2001:db8::/32). Lines are in time order, ties in generation order, as a server writes them.
 *
 *   page_view GET /{mode}/products · view_item_page GET /{mode}/products/{id} · learn_more_about_item
 *   GET /{mode}/products/{id}/details · add_item_to_cart POST /{mode}/cart/add?product={id} · remove_item
 *   POST /{mode}/cart/remove?product={id} · checkout_start GET /{mode}/checkout · purchase_complete POST
 *   /{mode}/checkout/complete · search GET /{mode}/products?q=… · filter_for_X GET /{mode}/products?filter_for_X=…
 *   · sort_change GET /{mode}/products?sort=… · anything else (hovers…) POST /collect?e={name}
 */
import { dirname, basename, extname, join } from 'node:path';
import type { EventsTable } from '../events/table.js';
import { type DictColumn, dictValue } from '../io/arrow-columns.js';
import { atomicWriteFile } from '../io/atomic.js';
import { csvField, writeTextStream } from '../io/text-out.js';
import { createRng, type Rng } from '../stats/rng.js';
import { generateDataset, type GenerateOptions } from './generate.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `[10/Oct/2000:20:55:36 +0000]` of an epoch-ms time (UTC). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** Apache's escaping of a logged string: `"` and `\` with a backslash, control bytes as \xhh. */
export function escapeLogValue(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/["\\]/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Default labels path beside a log: `access.log` → `access-labels.csv`. */
export function defaultLabelsPath(out: string): string {
  return join(dirname(out), `${basename(out, extname(out))}-labels.csv`);
}

const SITE = 'https://shop.example';
const ASSETS = ['/static/app.css', '/static/app.js', '/static/vendor.js', '/static/fonts/inter.woff2'];

interface Request {
  method: string;
  url: string;
  status: number;
  page: boolean;
}

function requestOf(t: EventsTable, i: number): Request {
  const s = (c: DictColumn): string | null => dictValue(c, i);
  const name = s(t.eventName)!;
  const mode = s(t.storeMode) ?? 'shop';
  const pid = s(t.productId);
  const enc = encodeURIComponent;
  const meta = t.metadata[i];
  const metaField = (k: string): string | null => {
    if (meta == null) return null;
    const m = new RegExp(`"${k}":"?([^",}]*)`).exec(meta);
    return m === null ? null : m[1]!;
  };
  const get = (url: string): Request => ({ method: 'GET', url, status: 200, page: true });
  const post = (url: string): Request => ({ method: 'POST', url, status: 303, page: false });
  switch (name) {
    case 'page_view': return get(`/${mode}/products`);
    case 'view_item_page': return pid === null ? get(`/${mode}/products`) : get(`/${mode}/products/${enc(pid)}`);
    case 'learn_more_about_item': return get(`/${mode}/products/${enc(pid ?? 'item')}/details`);
    case 'add_item_to_cart': return post(`/${mode}/cart/add?product=${enc(pid ?? '')}`);
    case 'remove_item': return post(`/${mode}/cart/remove?product=${enc(pid ?? '')}`);
    case 'checkout_start': return get(`/${mode}/checkout`);
    case 'purchase_complete': return post(`/${mode}/checkout/complete`);
    case 'search': return get(`/${mode}/products?q=${enc(metaField('query') ?? 'x')}`);
    case 'sort_change': return get(`/${mode}/products?sort=${enc(metaField('sort') ?? 'price')}`);
    default:
      if (name.startsWith('filter_for_')) return get(`/${mode}/products?${name}=${enc(metaField('dateIndex') ?? '1')}`);
      return { method: 'POST', url: `/collect?e=${enc(name)}`, status: 204, page: false };
  }
}

/** A session's client: kind of visitor, whether it loads page assets, its address. */
interface Visitor {
  kind: 'human' | 'agent-browser' | 'agent-http';
  assets: boolean;
  robots: boolean;
  address: string;
}

function visitorOf(index: number, agent: boolean, ua: string | null, rng: Rng): Visitor {
  const address = index % 5 === 4 ? `2001:db8::${(index >>> 16).toString(16)}:${(index & 0xffff).toString(16)}` : `10.${(index >>> 16) & 255}.${(index >>> 8) & 255}.${index & 255}`;
  if (!agent) return { kind: 'human', assets: true, robots: false, address };
  const browser = ua !== null && (/Headless|Playwright|Selenium/.test(ua) || rng.next() < 0.3);
  return { kind: browser ? 'agent-browser' : 'agent-http', assets: browser, robots: !browser && rng.next() < 0.25, address };
}

export interface AccessLogSummary {
  sessions: number;
  agentSessions: number;
  events: number;
  lines: number;
  output: string;
  labelsOut: string;
  seed: number;
}

/**
 * Generate sessions and write them as a combined-format access log plus its labels CSV.
 * Lines are sorted in memory (a few hundred bytes per request): meant for fixtures and tests, not for
 * millions of sessions.
 * @example await generateAccessLog(options, 'access.log', 'access-labels.csv')
 */
export async function generateAccessLog(o: GenerateOptions, out: string, labelsOut: string): Promise<AccessLogSummary> {
  const { plan, chunks } = generateDataset({ ...o, labels: true });
  const rng = createRng(o.seed ^ 0xacce55);
  const ts: number[] = [];
  const lines: string[] = [];
  const labels = ['client_address,user_agent,label,kind'];
  let events = 0, agentSessions = 0, index = 0;
  const push = (ms: number, line: string): void => {
    ts.push(ms);
    lines.push(line);
  };
  for (const t of chunks()) {
    events += t.length;
    for (let i = 0; i < t.length; ) {
      const sid = t.sessionId.codes[i]!;
      let end = i;
      while (end < t.length && t.sessionId.codes[end] === sid) end++;
      const uaCode = t.userAgent.codes[i]!;
      const ua = uaCode < 0 ? null : t.userAgent.dict[uaCode]!;
      const agent = t.isAgent[i] === 1;
      agentSessions += agent ? 1 : 0;
      const v = visitorOf(index++, agent, ua, rng);
      labels.push([v.address, ua ?? '', agent ? 'agent' : 'human', v.kind].map(csvField).join(','));
      const uaText = ua === null ? '-' : escapeLogValue(ua);
      const line = (ms: number, method: string, url: string, status: number, bytes: number, referrer: string | null): string =>
        `${v.address} - - [${clfTime(ms)}] "${method} ${url} HTTP/1.1" ${status} ${bytes === 0 ? '-' : bytes} "${referrer === null ? '-' : escapeLogValue(referrer)}" "${uaText}"`;
      if (v.robots) {
        const at = t.ts[i]! - 1000 - rng.int(4000);
        push(at, line(at, 'GET', '/robots.txt', 200, 68, null));
      }
      let referrer: string | null = null;
      let first = true;
      for (let k = i; k < end; k++) {
        const ms = t.ts[k]!;
        const r = requestOf(t, k);
        push(ms, line(ms, r.method, r.url, r.status, r.status === 200 ? 4000 + rng.int(40_000) : 0, v.kind === 'agent-http' && rng.next() < 0.7 ? null : referrer));
        if (!r.page) continue;
        const pageUrl = `${SITE}${r.url}`;
        if (v.assets) {
          let at = ms;
          for (const a of first ? [...ASSETS, '/favicon.ico'] : ASSETS.slice(0, 2)) {
            at += 20 + rng.int(300);
            push(at, line(at, 'GET', a, first ? 200 : 304, first ? 2000 + rng.int(90_000) : 0, pageUrl));
          }
          const pid = t.productId.codes[k]!;
          at += 20 + rng.int(300);
          push(at, line(at, 'GET', `/static/img/${pid < 0 ? 'hero' : encodeURIComponent(t.productId.dict[pid]!)}.jpg`, 200, 8000 + rng.int(120_000), pageUrl));
        }
        referrer = pageUrl;
        first = false;
      }
      i = end;
    }
  }
  // time order as the server writes it (second-resolution ties keep generation order: a stable sort)
  const order = Array.from(ts.keys()).sort((a, b) => Math.floor(ts[a]! / 1000) - Math.floor(ts[b]! / 1000) || a - b);
  await writeTextStream(out, (function* () {
    for (let k = 0; k < order.length; k += 10_000) yield `${order.slice(k, k + 10_000).map((j) => lines[j]).join('\n')}\n`;
  })());
  await atomicWriteFile(labelsOut, `${labels.join('\n')}\n`);
  return { sessions: plan.n, agentSessions, events, lines: lines.length, output: out, labelsOut, seed: o.seed };
}
