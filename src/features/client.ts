/**
 * Per-session "first non-null value in time order" columns: experimentId and the user agent, and the
 * client features derived from the user agent (docs/features.md), classified once per distinct
 * user-agent string. The is_agent label follows the one policy of events/session-index.ts.
 */
import { BROWSER_FAMILIES, type FeatureSetName } from './registry.js';

const HEADLESS = /HeadlessChrome|Headless|PhantomJS/i;
const AUTOMATION = /Selenium|Playwright|Puppeteer|WebDriver|chromedriver|geckodriver/i;
const FAMILY_CODE = new Map<string, number>(BROWSER_FAMILIES.map((f, i) => [f, i]));

/** Browser family of a user agent by version token; the `original` set tests Chrome before Edge. */
export function browserFamily(ua: string | null, set: FeatureSetName): (typeof BROWSER_FAMILIES)[number] {
  if (ua === null) return 'Unknown';
  const edge = ua.includes('Edg/'), chrome = ua.includes('Chrome/');
  if (set === 'original' ? chrome : edge) return set === 'original' ? 'Chrome' : 'Edge';
  if (set === 'original' ? edge : chrome) return set === 'original' ? 'Edge' : 'Chrome';
  if (ua.includes('Firefox/')) return 'Firefox';
  if (ua.includes('Safari/')) return 'Safari';
  return 'Other';
}

/**
 * For each session, the first non-null code (time order) of a dictionary column, −1 when all are null.
 * @example firstCodes(events.userAgent.codes, order, starts, nSessions)
 */
export function firstCodes(codes: Int32Array | Int8Array, order: Uint32Array, starts: Int32Array, nSessions: number): Int32Array {
  const out = new Int32Array(nSessions).fill(-1);
  for (let s = 0; s < nSessions; s++) {
    for (let k = starts[s]!, hi = starts[s + 1]!; k < hi; k++) {
      const c = codes[order[k]!]!;
      if (c >= 0) {
        out[s] = c;
        break;
      }
    }
  }
  return out;
}

export interface ClientColumns {
  is_headless: Float64Array;
  is_automation: Float64Array;
  /** codes into BROWSER_FAMILIES */
  browser_family: Int32Array;
}

/** Output columns and per-user-agent tables kept between calls (serve computes one session per request into the same arrays). */
export interface ClientWorkspace {
  /** columns of at least as many entries as sessions */
  out: ClientColumns;
  headless: Float64Array;
  automation: Float64Array;
  family: Int32Array;
}

/** A workspace for `nSessions` sessions. @example computeClient(firstUa, dict, 'default', clientWorkspace(1)) */
export function clientWorkspace(nSessions: number, uaDictSize = 0): ClientWorkspace {
  return {
    out: { is_headless: new Float64Array(nSessions), is_automation: new Float64Array(nSessions), browser_family: new Int32Array(nSessions) },
    headless: new Float64Array(uaDictSize), automation: new Float64Array(uaDictSize), family: new Int32Array(uaDictSize),
  };
}

/**
 * Client features from each session's first user agent (code into `uaDict`, −1 none), written into
 * `ws.out` when a workspace is given.
 * @example computeClient(firstCodes(events.userAgent.codes, order, starts, n), events.userAgent.dict, 'default')
 */
export function computeClient(firstUa: Int32Array, uaDict: readonly string[], set: FeatureSetName, ws = clientWorkspace(firstUa.length, uaDict.length)): ClientColumns {
  if (ws.headless.length < uaDict.length) {
    const size = Math.max(uaDict.length, 2 * ws.headless.length);
    ws.headless = new Float64Array(size);
    ws.automation = new Float64Array(size);
    ws.family = new Int32Array(size);
  }
  const { headless, automation, family } = ws;
  for (const [c, ua] of uaDict.entries()) {
    headless[c] = HEADLESS.test(ua) ? 1 : 0;
    automation[c] = AUTOMATION.test(ua) ? 1 : 0;
    family[c] = FAMILY_CODE.get(browserFamily(ua, set))!;
  }
  const n = firstUa.length;
  const out = ws.out;
  const unknown = FAMILY_CODE.get('Unknown')!;
  for (let s = 0; s < n; s++) {
    const c = firstUa[s]!;
    out.is_headless[s] = c < 0 ? 0 : headless[c]!;
    out.is_automation[s] = c < 0 ? 0 : automation[c]!;
    out.browser_family[s] = c < 0 ? unknown : family[c]!;
  }
  return out;
}
