/**
 * The `requests` feature group's registry lines (docs/features.md): features of request-level events
 * (`phantom export --from access-log`), each emitted only when the events carry the columns it reads —
 * absent columns leave the feature out, they never fill it with zeros. The choices follow the web-robot
 * detection literature: Stevanovic, Vlajic & An 2012 (HEAD share, 4xx share, unassigned referrers,
 * robots.txt, page depth), Lagopoulos, Tsoumakas & Papadopoulos 2018 (total requests, timing statistics,
 * 3xx share, asset shares), Iliou et al. 2021 (browsing speed, per-type shares, timing over page requests).
 */
import type { FeatureSpec } from './registry.js';

/** Request columns of events.parquet a request feature may read (docs/access-logs.md). */
export const REQUEST_FEATURE_COLUMNS = ['resource_kind', 'method', 'path', 'query', 'status', 'bytes', 'referrer'] as const;
export type RequestFeatureColumn = (typeof REQUEST_FEATURE_COLUMNS)[number];

export interface RequestFeatureSpec extends FeatureSpec {
  /** the columns the feature reads; `resource_kind` marks request-level data and is always among them */
  needs: readonly RequestFeatureColumn[];
}

const KIND = ['resource_kind'] as const;
const NEVER = 'never null';
const NO_REQUESTS = 'null when the session has no request';
const REQ = 'requests = events with a non-null resource_kind';

const share = (name: string, kind: string): RequestFeatureSpec => ({
  name, group: 'requests', dtype: 'float', missing: NO_REQUESTS, needs: KIND,
  definition: `requests with resource_kind = ${kind} / requests (${REQ})`,
});

const gapStat = (name: string, definition: string, missing: string): RequestFeatureSpec => ({
  name, group: 'requests', dtype: 'float', missing, needs: KIND,
  definition: `${definition} of the gaps in seconds between consecutive non-asset requests (resource_kind other than asset)`,
});

/** The request features in output order (after the default set's features). */
export const REQUEST_ENTRIES: readonly RequestFeatureSpec[] = [
  { name: 'request_count', group: 'requests', dtype: 'int', missing: NEVER, needs: KIND, definition: `number of requests (${REQ})` },
  share('page_share', 'page'),
  share('asset_share', 'asset'),
  share('api_share', 'api'),
  share('beacon_share', 'beacon'),
  { name: 'assets_per_page', group: 'requests', dtype: 'float', missing: 'null when the session has no page request', needs: KIND, definition: 'asset requests / page requests' },
  ...(['3xx', '4xx', '5xx'] as const).map((c): RequestFeatureSpec => ({
    name: `status_${c}_share`, group: 'requests', dtype: 'float', missing: 'null when no request has a status', needs: ['resource_kind', 'status'],
    definition: `requests with status ${c[0]}00-${c[0]}99 / requests with a non-null status`,
  })),
  ...(['HEAD', 'POST'] as const).map((m): RequestFeatureSpec => ({
    name: `${m.toLowerCase()}_share`, group: 'requests', dtype: 'float', missing: 'null when no request has a method', needs: ['resource_kind', 'method'],
    definition: `requests with method ${m} (case-insensitive) / requests with a non-null method`,
  })),
  {
    name: 'pages_without_referrer_share', group: 'requests', dtype: 'float', missing: 'null when the session has no page request', needs: ['resource_kind', 'referrer'],
    definition: 'page requests whose referrer is null, empty or "-" / page requests',
  },
  {
    name: 'robots_txt_fetched', group: 'requests', dtype: 'bool', missing: NEVER, needs: KIND,
    definition: 'some request has resource_kind = robots or the path /robots.txt',
  },
  {
    name: 'favicon_fetched', group: 'requests', dtype: 'bool', missing: NEVER, needs: ['resource_kind', 'path'],
    definition: 'some request path ends in /favicon.ico, .png or .svg, or /apple-touch-icon*.png (case-insensitive)',
  },
  {
    name: 'distinct_path_ratio', group: 'requests', dtype: 'float', missing: 'null when no request has a path', needs: ['resource_kind', 'path'],
    definition: 'distinct non-null paths / requests with a non-null path',
  },
  {
    name: 'mean_path_depth', group: 'requests', dtype: 'float', missing: 'null when no request has a path', needs: ['resource_kind', 'path'],
    definition: 'mean number of non-empty "/"-separated segments of the path (anything from "?" on ignored; "/" is 0, "/a/b/" is 2) over requests with a path',
  },
  {
    name: 'query_share', group: 'requests', dtype: 'float', missing: NO_REQUESTS, needs: ['resource_kind', 'query'],
    definition: 'requests with a non-empty query string / requests',
  },
  {
    name: 'bytes_per_request', group: 'requests', dtype: 'float', missing: 'null when no request has a byte count', needs: ['resource_kind', 'bytes'],
    definition: 'mean response bytes over requests with a non-null byte count',
  },
  gapStat('nonasset_gap_mean', 'mean', 'null with fewer than 2 non-asset requests'),
  gapStat('nonasset_gap_sd', 'sample standard deviation (ddof 1)', 'null with fewer than 3 non-asset requests'),
  gapStat('nonasset_gap_cv', 'nonasset_gap_sd / nonasset_gap_mean', 'null when the sd is null or the mean is 0'),
  gapStat('nonasset_gap_median', 'median', 'null with fewer than 2 non-asset requests'),
  gapStat('nonasset_gap_max', 'largest', 'null with fewer than 2 non-asset requests'),
  gapStat('nonasset_burstiness', 'burstiness (sd - mean) / (sd + mean) (Goh & Barabási 2008; -1 periodic, 0 Poisson, toward 1 bursty)', 'null when the sd is null or sd + mean is 0'),
  {
    name: 'pages_per_minute', group: 'requests', dtype: 'float', missing: 'null when the first and last request share a timestamp',
    needs: KIND, definition: 'page requests / (last request ts - first request ts) x 60 s (raw span; the inactivity timeout does not apply)',
  },
  {
    name: 'ua_known_bot', group: 'requests', dtype: 'bool', missing: 'false when no userAgent', needs: KIND, context: true,
    definition: 'some non-null userAgent of the session is a known bot by the maintained `isbot` pattern list (npm isbot)',
  },
  {
    name: 'ua_changes', group: 'requests', dtype: 'int', missing: NEVER, needs: KIND,
    definition: 'times the userAgent differs from the previous non-null userAgent, over events in time order (null user agents skipped)',
  },
];

/**
 * The request features a run can emit given the request columns its events have.
 * @example requestSpecs(new Set(['resource_kind', 'path'])).map((f) => f.name) // no status, method, referrer, query or bytes features
 */
export function requestSpecs(columns: ReadonlySet<string> | 'all'): RequestFeatureSpec[] {
  if (columns === 'all') return [...REQUEST_ENTRIES];
  if (!columns.has('resource_kind')) return [];
  return REQUEST_ENTRIES.filter((e) => e.needs.every((c) => columns.has(c)));
}
