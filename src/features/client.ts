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

/**
 * Client features from each session's first user agent (code into `uaDict`, −1 none).
 * @example computeClient(firstCodes(events.userAgent.codes, order, starts, n), events.userAgent.dict, 'default')
 */
export function computeClient(firstUa: Int32Array, uaDict: readonly string[], set: FeatureSetName): ClientColumns {
  const headless = new Float64Array(uaDict.length), automation = new Float64Array(uaDict.length), family = new Int32Array(uaDict.length);
  for (let c = 0; c < uaDict.length; c++) {
    const ua = uaDict[c]!;
    headless[c] = HEADLESS.test(ua) ? 1 : 0;
    automation[c] = AUTOMATION.test(ua) ? 1 : 0;
    family[c] = FAMILY_CODE.get(browserFamily(ua, set))!;
  }
  const n = firstUa.length;
  const out: ClientColumns = { is_headless: new Float64Array(n), is_automation: new Float64Array(n), browser_family: new Int32Array(n) };
  const unknown = FAMILY_CODE.get('Unknown')!;
  for (let s = 0; s < n; s++) {
    const c = firstUa[s]!;
    out.is_headless[s] = c < 0 ? 0 : headless[c]!;
    out.is_automation[s] = c < 0 ? 0 : automation[c]!;
    out.browser_family[s] = c < 0 ? unknown : family[c]!;
  }
  return out;
}
