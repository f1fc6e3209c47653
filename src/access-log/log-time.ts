/**
 * Access-log times → epoch ms (UTC). `%t` / `$time_local` carry their zone (`10/Oct/2000:13:55:36 -0700`);
 * `$time_iso8601` too (`2000-10-10T13:55:36-07:00`); `%{…}t` strftime formats without `%z` are read in
 * `--timezone` (UTC, a fixed `±HH:MM`, or an IANA zone such as `Europe/Berlin`, DST included).
 */
import { UsageError } from '../errors.js';

const MONTHS: Readonly<Record<string, number>> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const LONG_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Zone offset text (`+0200`, `-07:00`, `Z`, `UTC`, `GMT`) → minutes east of UTC, NaN when not one. */
export function zoneOffsetMinutes(z: string): number {
  if (z === 'Z' || z === 'UTC' || z === 'GMT' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (m === null) return NaN;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/**
 * `dd/Mon/yyyy:HH:MM:SS ±zzzz` → epoch ms, NaN when malformed (fixed positions: both servers pad).
 * @example parseClfTime('10/Oct/2000:13:55:36 -0700') // 971211336000
 */
export function parseClfTime(s: string): number {
  if (s.length !== 26 || s.charCodeAt(2) !== 47 || s.charCodeAt(6) !== 47 || s.charCodeAt(11) !== 58 || s.charCodeAt(20) !== 32) return NaN;
  const month = MONTHS[s.slice(3, 6)];
  if (month === undefined) return NaN;
  const day = d2(s, 0), year = d2(s, 7) * 100 + d2(s, 9), hour = d2(s, 12), minute = d2(s, 15), second = d2(s, 18);
  if (!(day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60 && year >= 0)) return NaN;
  const off = zoneOffsetMinutes(s.slice(21));
  if (Number.isNaN(off)) return NaN;
  const t = Date.UTC(year, month, day, hour, minute, second);
  if (new Date(t).getUTCDate() !== day) return NaN;
  return t - off * 60_000;
}

/** A zone for zone-less times: offset (ms east of UTC) at a local wall-clock time given as if it were UTC. */
export interface WallClockZone {
  name: string;
  offsetAt(wallMs: number): number;
}

/**
 * `--timezone`: `UTC`, `±HH:MM`, or an IANA name (resolved with Intl, cached per hour of wall-clock time).
 * @example resolveZone('Europe/Berlin').offsetAt(Date.UTC(2025, 6, 1, 12)) // 7200000
 */
export function resolveZone(name: string): WallClockZone {
  const fixed = zoneOffsetMinutes(name);
  if (!Number.isNaN(fixed)) return { name, offsetAt: () => fixed * 60_000 };
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  } catch {
    throw new UsageError(`--timezone ${name}: not UTC, ±HH:MM or an IANA time zone (e.g. Europe/Berlin)`);
  }
  // offset of the zone at a true UTC instant
  const offsetOfInstant = (t: number): number => {
    const p: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
    for (const part of dtf.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const { year, month, day, hour, minute, second } = p;
    if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) {
      throw new Error(`time zone ${name}: Intl.DateTimeFormat gave no full date for ${new Date(t).toISOString()}`);
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(t / 1000) * 1000;
  };
  const cache = new Map<number, number>();
  return {
    name,
    offsetAt(wall: number): number {
      const hour = Math.floor(wall / 3_600_000);
      let off = cache.get(hour);
      if (off === undefined) {
        const first = offsetOfInstant(wall);
        off = offsetOfInstant(wall - first);
        if (cache.size > 10_000) cache.clear();
        cache.set(hour, off);
      }
      return off;
    },
  };
}

/** Time parts collected from strftime fields of one line. */
export interface TimeParts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; pm: number;
  /** minutes east of UTC, NaN when the format has no zone */
  zone: number;
  /** `%s` epoch seconds, NaN when absent */
  epoch: number;
}

export const emptyParts = (): TimeParts => ({ year: 1970, month: 0, day: 1, hour: 0, minute: 0, second: 0, pm: -1, zone: NaN, epoch: NaN });

/** Store one strftime part's text; false when it does not parse. */
export function setPart(p: TimeParts, letter: string, text: string): boolean {
  const n = Number(text.trim());
  switch (letter) {
    case 'Y': p.year = n; return Number.isInteger(n);
    case 'y': p.year = n < 69 ? 2000 + n : 1900 + n; return Number.isInteger(n);
    case 'm': p.month = n - 1; return n >= 1 && n <= 12;
    case 'd': case 'e': p.day = n; return n >= 1 && n <= 31;
    case 'H': case 'I': p.hour = n; return n >= 0 && n <= 23;
    case 'M': p.minute = n; return n >= 0 && n <= 59;
    case 'S': p.second = n; return n >= 0 && n <= 60;
    case 'b': case 'h': { const m = MONTHS[text]; if (m === undefined) return false; p.month = m; return true; }
    case 'B': { const m = LONG_MONTHS.indexOf(text.toLowerCase()); p.month = m; return m >= 0; }
    case 'z': case 'Z': p.zone = zoneOffsetMinutes(text); return !Number.isNaN(p.zone) || /^[A-Z]{3,5}$/.test(text);
    case 'p': p.pm = /^pm$/i.test(text) ? 1 : 0; return /^[ap]m$/i.test(text);
    case 's': p.epoch = n; return Number.isFinite(n);
    case 'j': case 'a': case 'A': return true; // day of year / weekday: implied by the date
    default: return false;
  }
}

/** Epoch ms of collected parts; zone-less parts are read in `zone`. NaN for impossible dates. */
export function partsToMs(p: TimeParts, zone: WallClockZone): number {
  if (!Number.isNaN(p.epoch)) return p.epoch * 1000;
  const hour = p.pm === -1 ? p.hour : (p.hour % 12) + (p.pm === 1 ? 12 : 0);
  const wall = Date.UTC(p.year, p.month, p.day, hour, p.minute, p.second);
  if (new Date(wall).getUTCDate() !== p.day) return NaN;
  return Number.isNaN(p.zone) ? wall - zone.offsetAt(wall) : wall - p.zone * 60_000;
}
