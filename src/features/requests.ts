/**
 * The `requests` feature group (request-specs.ts has each definition): one pass per session over its
 * time-ordered events, with every per-string test (kind, method, path depth, favicon, bot user agent)
 * made once per dictionary entry rather than once per row.
 */
import { isbot } from 'isbot';
import type { DictColumn } from '../events/table.js';
import { requestSpecs, type RequestFeatureColumn } from './request-specs.js';
import { gatherCodes, gatherFloat } from '../events/session-index.js';

/** The request columns of an events file; null where the file lacks the column. */
export interface RequestColumns {
  resource_kind: DictColumn;
  method: DictColumn | null;
  path: DictColumn | null;
  query: DictColumn | null;
  referrer: DictColumn | null;
  status: Float64Array | null;
  bytes: Float64Array | null;
}

/** The columns present, as the registry's `requestColumns`. */
export function presentRequestColumns(r: RequestColumns | null | undefined): Set<RequestFeatureColumn> {
  const out = new Set<RequestFeatureColumn>();
  if (r == null) return out;
  for (const [k, v] of Object.entries(r)) if (v !== null) out.add(k as RequestFeatureColumn);
  return out;
}

const KINDS = ['page', 'asset', 'api', 'beacon', 'robots'] as const;
const [PAGE, ASSET, API, BEACON, ROBOTS] = [0, 1, 2, 3, 4];
const OTHER = 5;
const FAVICON = /(^|\/)(favicon\.(ico|png|svg)|apple-touch-icon[^/]*\.png)$/i;

/** Per dictionary entry → a small integer, −1 for a null row. */
function perEntry(col: DictColumn | null, f: (s: string) => number): Int32Array | null {
  return col === null ? null : Int32Array.from(col.dict, f);
}

/** Non-empty "/"-separated segments of a path, anything from "?" on ignored. */
export function pathDepth(path: string): number {
  const q = path.indexOf('?');
  let depth = 0;
  for (const seg of (q >= 0 ? path.slice(0, q) : path).split('/')) if (seg !== '') depth++;
  return depth;
}

function median(sorted: Float64Array): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/**
 * Request features per session, keyed by registry name; only those whose columns are present.
 * `order`/`starts` are the session order of `indexSessions` (events/session-index.ts); `ts` and `userAgent` are the events' columns.
 * @example computeRequests(events.requests, order, starts, nSessions, events.ts, events.userAgent).page_share
 */
export function computeRequests(
  req: RequestColumns, order: Uint32Array, starts: Int32Array, nSessions: number, tsAll: Float64Array, userAgent: DictColumn,
): Record<string, Float64Array> {
  const present = presentRequestColumns(req);
  const names = requestSpecs(present).map((f) => f.name);
  const out: Record<string, Float64Array> = {};
  for (const n of names) out[n] = new Float64Array(nSessions).fill(NaN);

  const kindOf = perEntry(req.resource_kind, (s) => {
    const k = (KINDS as readonly string[]).indexOf(s.toLowerCase());
    return k >= 0 ? k : OTHER;
  })!;
  const methodOf = perEntry(req.method, (s) => (s.toUpperCase() === 'HEAD' ? 1 : s.toUpperCase() === 'POST' ? 2 : 0));
  const depthOf = perEntry(req.path, pathDepth);
  const pathFlags = perEntry(req.path, (s) => (FAVICON.test(s.split('?')[0]!) ? 1 : 0) | (s.toLowerCase() === '/robots.txt' ? 2 : 0));
  const queryOf = perEntry(req.query, (s) => (s !== '' ? 1 : 0));
  const emptyRefOf = perEntry(req.referrer, (s) => (s === '' || s === '-' ? 1 : 0));
  const botOf = Uint8Array.from(userAgent.dict, (s) => (isbot(s) ? 1 : 0));

  const kind = gatherCodes(req.resource_kind.codes, order);
  const method = req.method && gatherCodes(req.method.codes, order);
  const path = req.path && gatherCodes(req.path.codes, order);
  const query = req.query && gatherCodes(req.query.codes, order);
  const ref = req.referrer && gatherCodes(req.referrer.codes, order);
  const status = req.status && gatherFloat(req.status, order);
  const bytes = req.bytes && gatherFloat(req.bytes, order);
  const ts = gatherFloat(tsAll, order);
  const ua = gatherCodes(userAgent.codes, order);
  const pathSeen = new Int32Array(req.path?.dict.length ?? 0).fill(-1);
  const gaps: number[] = [];

  for (let s = 0; s < nSessions; s++) {
    const lo = starts[s]!, hi = starts[s + 1]!;
    const byKind = new Float64Array(6);
    let requests = 0, withStatus = 0, s3 = 0, s4 = 0, s5 = 0, withMethod = 0, heads = 0, posts = 0, pagesNoRef = 0;
    let withPath = 0, distinct = 0, depthSum = 0, queries = 0, withBytes = 0, bytesSum = 0, robots = 0, favicon = 0;
    let firstTs = NaN, lastTs = NaN, prevNonAsset = NaN;
    let uaChanges = 0, lastUa = -1, bot = 0;
    gaps.length = 0;
    for (let k = lo; k < hi; k++) {
      const u = ua[k]!;
      if (u >= 0) {
        if (lastUa >= 0 && u !== lastUa) uaChanges++;
        lastUa = u;
        bot |= botOf[u]!;
      }
      const kc = kind[k]!;
      if (kc < 0) continue;
      requests++;
      const kd = kindOf[kc]!;
      byKind[kd]!++;
      const t = ts[k]!;
      if (requests === 1) firstTs = t;
      lastTs = t;
      if (kd !== ASSET) {
        if (prevNonAsset === prevNonAsset) gaps.push((t - prevNonAsset) / 1000);
        prevNonAsset = t;
      }
      if (kd === ROBOTS) robots = 1;
      if (status !== null && status[k] === status[k]) {
        withStatus++;
        const c = Math.floor(status[k]! / 100);
        if (c === 3) s3++;
        else if (c === 4) s4++;
        else if (c === 5) s5++;
      }
      if (method !== null && method[k]! >= 0) {
        withMethod++;
        const m = methodOf![method[k]!]!;
        if (m === 1) heads++;
        else if (m === 2) posts++;
      }
      if (ref !== null && kd === PAGE && (ref[k]! < 0 || emptyRefOf![ref[k]!] === 1)) pagesNoRef++;
      if (path !== null && path[k]! >= 0) {
        const p = path[k]!;
        withPath++;
        depthSum += depthOf![p]!;
        if (pathSeen[p] !== s) {
          pathSeen[p] = s;
          distinct++;
        }
        if (pathFlags![p]! & 1) favicon = 1;
        if (pathFlags![p]! & 2) robots = 1;
      }
      if (query !== null && query[k]! >= 0 && queryOf![query[k]!] === 1) queries++;
      if (bytes !== null && bytes[k] === bytes[k]) {
        withBytes++;
        bytesSum += bytes[k]!;
      }
    }
    const set = (name: string, v: number): void => {
      const col = out[name];
      if (col !== undefined) col[s] = v;
    };
    const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN);
    set('request_count', requests);
    set('page_share', ratio(byKind[PAGE]!, requests));
    set('asset_share', ratio(byKind[ASSET]!, requests));
    set('api_share', ratio(byKind[API]!, requests));
    set('beacon_share', ratio(byKind[BEACON]!, requests));
    set('assets_per_page', ratio(byKind[ASSET]!, byKind[PAGE]!));
    set('status_3xx_share', ratio(s3, withStatus));
    set('status_4xx_share', ratio(s4, withStatus));
    set('status_5xx_share', ratio(s5, withStatus));
    set('head_share', ratio(heads, withMethod));
    set('post_share', ratio(posts, withMethod));
    set('pages_without_referrer_share', ratio(pagesNoRef, byKind[PAGE]!));
    set('robots_txt_fetched', robots);
    set('favicon_fetched', favicon);
    set('distinct_path_ratio', ratio(distinct, withPath));
    set('mean_path_depth', ratio(depthSum, withPath));
    set('query_share', ratio(queries, requests));
    set('bytes_per_request', ratio(bytesSum, withBytes));
    const g = gaps.length;
    let mean = NaN, sd = NaN;
    if (g >= 1) {
      let sum = 0, max = -Infinity;
      for (const x of gaps) {
        sum += x;
        if (x > max) max = x;
      }
      mean = sum / g;
      set('nonasset_gap_mean', mean);
      set('nonasset_gap_max', max);
      set('nonasset_gap_median', median(Float64Array.from(gaps).sort()));
    }
    if (g >= 2) {
      let ss = 0;
      for (const x of gaps) ss += (x - mean) * (x - mean);
      sd = Math.sqrt(ss / (g - 1));
      set('nonasset_gap_sd', sd);
      set('nonasset_gap_cv', mean > 0 ? sd / mean : NaN);
      set('nonasset_burstiness', sd + mean > 0 ? (sd - mean) / (sd + mean) : NaN);
    }
    set('pages_per_minute', lastTs > firstTs ? byKind[PAGE]! / ((lastTs - firstTs) / 60_000) : NaN);
    set('ua_known_bot', bot);
    set('ua_changes', uaChanges);
  }
  return out;
}
