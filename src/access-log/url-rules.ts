/**
 * What a request fetched (`resource_kind`) and which event it is (`eventName`, `productId`), from ordered
 * URL rules. Rules match `path` plus `?query` when there is one; the first match wins.
 *
 * Resource kinds, by default: `robots` for /robots.txt; `beacon` for analytics endpoints (collect, beacon,
 * track, pixel…); `api` under /api/, /graphql, /wp-json/ or ending .json/.xml; `asset` by static-file
 * extension or under /static/, /assets/; `page` for extension-less paths and .html/.php/…; else `other`.
 * Event names, by default: `page_view` for pages, `request` for everything else.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { RESOURCE_KINDS, type ResourceKind } from '../events/schema.js';

const ASSET_EXT = new Set(['css', 'js', 'mjs', 'map', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'bmp', 'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp4', 'webm', 'mp3', 'ogg', 'wav', 'webmanifest']);
const PAGE_EXT = new Set(['html', 'htm', 'php', 'asp', 'aspx', 'jsp', 'cgi', 'shtml', 'xhtml']);
const BEACON = /^\/(?:collect|beacon|track|tracking|pixel|ping|analytics|telemetry|rum|log-event|events?)(?:[/.]|$)|^\/g\/collect$|^\/(?:[^/]+\/)*(?:collect|beacon|pixel\.gif)$/;
const API = /^\/(?:api|graphql|wp-json|rest|ajax)(?:[/.]|$)/;
const ASSET_DIR = /^\/(?:static|assets|_next\/static|dist|build|fonts|images|img|css|js)\//;

/** Default resource kind of a path (null path: a malformed request line). */
export function defaultResourceKind(path: string | null): ResourceKind {
  if (path === null || path === '*') return 'other';
  if (path === '/robots.txt') return 'robots';
  if (BEACON.test(path)) return 'beacon';
  if (API.test(path)) return 'api';
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  const ext = dot > slash ? path.slice(dot + 1).toLowerCase() : '';
  if (ext === 'json' || ext === 'xml') return 'api';
  if (ASSET_EXT.has(ext) || ASSET_DIR.test(path)) return 'asset';
  if (ext === '' || PAGE_EXT.has(ext)) return 'page';
  return 'other';
}

export interface ResourceRule { pattern: RegExp; kind: ResourceKind; method: string | null }
export interface EventRule { pattern: RegExp; event: string | null; method: string | null; kind: ResourceKind | null }

const methodField = z.string().regex(/^[A-Za-z]+$/).optional();
const resourceRulesSchema = z.array(z.object({ match: z.string(), kind: z.enum(RESOURCE_KINDS), method: methodField }).strict());
const eventRulesSchema = z.array(z.object({ match: z.string(), event: z.string().min(1).optional(), method: methodField, kind: z.enum(RESOURCE_KINDS).optional() }).strict());

function compile(pattern: string, file: string, index: number): RegExp {
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new UsageError(`${file}: rule ${index + 1}: ${JSON.stringify(pattern)} is not a regular expression (${(e as Error).message})`);
  }
}

async function readRules<T>(file: string, schema: z.ZodType<T[]>, example: string): Promise<T[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: cannot read rules (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}); expected a JSON array like ${example}`);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new UsageError(`${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}; expected a JSON array like ${example}`);
  return r.data;
}

/**
 * `--resource-rules FILE`: `[{"match": "^/media/", "kind": "asset"}, {"match": "^/search", "kind": "api", "method": "POST"}]`.
 * @example const rules = await loadResourceRules('resource-rules.json')
 */
export async function loadResourceRules(file: string): Promise<ResourceRule[]> {
  const rows = await readRules(file, resourceRulesSchema, '[{"match": "^/media/", "kind": "asset"}]');
  return rows.map((r, i) => ({ pattern: compile(r.match, file, i), kind: r.kind, method: r.method?.toUpperCase() ?? null }));
}

/**
 * `--event-rules FILE`: `[{"match": "^/product/(?<productId>[^/?]+)", "event": "view_item_page"}]`; a rule
 * may take the name from the URL with a named capture `eventName`, limit itself to a `method` or a `kind`.
 * @example const rules = await loadEventRules('event-rules.json')
 */
export async function loadEventRules(file: string): Promise<EventRule[]> {
  const rows = await readRules(file, eventRulesSchema, '[{"match": "^/product/(?<productId>[^/?]+)", "event": "view_item_page"}]');
  return rows.map((r, i) => {
    const pattern = compile(r.match, file, i);
    if (r.event === undefined && !r.match.includes('(?<eventName>')) throw new UsageError(`${file}: rule ${i + 1} has neither "event" nor a named capture (?<eventName>…)`);
    return { pattern, event: r.event ?? null, method: r.method?.toUpperCase() ?? null, kind: r.kind ?? null };
  });
}

const CACHE_LIMIT = 65_536;

/** Classifies requests: resource kind, event name and product id. */
export class UrlClassifier {
  // default kinds by path: a log repeats few paths many times (cleared when it grows past CACHE_LIMIT)
  private readonly kindCache = new Map<string, ResourceKind>();

  constructor(private readonly resourceRules: readonly ResourceRule[] = [], private readonly eventRules: readonly EventRule[] = []) {}

  /** Resource kind of a request. */
  kind(method: string | null, path: string | null, query: string | null): ResourceKind {
    if (this.resourceRules.length === 0 && path !== null) {
      let k = this.kindCache.get(path);
      if (k === undefined) {
        if (this.kindCache.size >= CACHE_LIMIT) this.kindCache.clear();
        this.kindCache.set(path, (k = defaultResourceKind(path)));
      }
      return k;
    }
    if (this.resourceRules.length > 0 && path !== null) {
      const url = query === null ? path : `${path}?${query}`;
      for (const r of this.resourceRules) if ((r.method === null || r.method === method) && r.pattern.test(url)) return r.kind;
    }
    return defaultResourceKind(path);
  }

  /** Event name and product id of a request of kind `kind`. */
  event(method: string | null, path: string | null, query: string | null, kind: ResourceKind): { eventName: string; productId: string | null } {
    if (this.eventRules.length > 0 && path !== null) {
      const url = query === null ? path : `${path}?${query}`;
      for (const r of this.eventRules) {
        if ((r.method !== null && r.method !== method) || (r.kind !== null && r.kind !== kind)) continue;
        const m = r.pattern.exec(url);
        if (m === null) continue;
        const name = m.groups?.['eventName'] ?? r.event;
        if (name === null || name === undefined || name === '') continue;
        return { eventName: name, productId: m.groups?.['productId'] ?? null };
      }
    }
    return { eventName: kind === 'page' ? 'page_view' : 'request', productId: null };
  }
}
