/**
 * Timestamp parsing for docs/contract.md §3: ISO-8601 (`Z`, `±HH:MM`, `±HHMM`; no zone = UTC) or epoch milliseconds.
 * Sub-millisecond digits are floored and fractional epoch-ms numbers truncated, so every time is an integer ms.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const digit = (text: string, i: number): number => text.charCodeAt(i) - 48;
const isDigits = (text: string, from: number, to: number): boolean => {
  for (let i = from; i < to; i++) if (!(digit(text, i) >= 0 && digit(text, i) <= 9)) return false;
  return true;
};
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The one form nearly every event carries, `YYYY-MM-DDTHH:MM:SS.mmmZ`, read without the regex (the same
 * result as `parseIsoMs`); undefined for anything else, including the cases whose rules live there only
 * (years below 100, hour 24, leap seconds, days past the month's end).
 */
function canonicalIsoMs(text: string): number | undefined {
  if (text.length !== 24 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46) return undefined;
  const z = text.charCodeAt(23);
  if ((z !== 90 && z !== 122) || !isDigits(text, 0, 4) || !isDigits(text, 5, 7) || !isDigits(text, 8, 10) || !isDigits(text, 11, 13) || !isDigits(text, 14, 16) || !isDigits(text, 17, 19) || !isDigits(text, 20, 23)) return undefined;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6), day = digit(text, 8) * 10 + digit(text, 9);
  const hour = digit(text, 11) * 10 + digit(text, 12), minute = digit(text, 14) * 10 + digit(text, 15), second = digit(text, 17) * 10 + digit(text, 18);
  if (y < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const leap = month === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  if (day > DAYS[month - 1]! + (leap ? 1 : 0)) return undefined;
  return Date.UTC(y, month - 1, day, hour, minute, second, digit(text, 20) * 100 + digit(text, 21) * 10 + digit(text, 22));
}

/** Parse an ISO-8601 string to epoch ms, or NaN when it is not one. @example parseIsoMs('2025-01-02T03:04:05.678901Z') */
export function parseIsoMs(text: string): number {
  const fast = canonicalIsoMs(text);
  if (fast !== undefined) return fast;
  const m = ISO.exec(text.trim());
  if (m === null) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return NaN;
  const ms = frac.length === 0 ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 31 Feb over to March: reject dates that do not exist
  if (new Date(t).getUTCDate() !== day && hour !== 24) return NaN;
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    t -= sign * offsetMin * 60_000;
  }
  return t;
}

/** Epoch ms from a raw `ts` value (string or number); NaN when unparseable. */
export function parseTimestampMs(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : NaN;
  if (typeof value === 'string') {
    const fast = canonicalIsoMs(value);
    if (fast !== undefined) return fast;
    if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Math.trunc(Number(value));
    return parseIsoMs(value);
  }
  return NaN;
}

/** ISO-8601 UTC text of an epoch-ms time, e.g. `2025-01-02T03:04:05.678Z`. */
export function formatIsoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** ±10,000 years of the epoch in ms (Gregorian years of 365.2425 days): the range of times an event may carry. */
export const MAX_ABS_EVENT_MS = 3_652_425 * 86_400_000; // 315,569,520,000,000

/** Is an epoch-ms time within ±10,000 years of the epoch (so dates, gaps and ISO text stay meaningful)? */
export function inEventRange(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_ABS_EVENT_MS;
}
