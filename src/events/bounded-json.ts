/**
 * JSON with bounds: size and nesting depth are checked before anything recursive runs (V8's
 * `JSON.stringify` overflows the stack on ~5,000 levels, and a record of 30 KB can nest that deep).
 * Text is scanned once, without recursion; parsed values are walked with an explicit stack. Export's
 * normalise uses it for records and metadata; serve can use it for request bodies.
 *
 *   const r = parseBoundedJson(text, RECORD_LIMITS);
 *   if (!r.ok) deadLetter(r.reason, r.detail); // 'too_large' | 'too_deep' | 'invalid_json'
 */

export interface JsonLimits {
  /** Most nested arrays/objects (a flat object is depth 1). */
  maxDepth: number;
  /** Most UTF-8 bytes of the JSON text. */
  maxBytes: number;
}

export type JsonLimitReason = 'too_deep' | 'too_large';

/** A whole record (a Kafka value, a JSON line, an envelope): 1 MiB, 64 levels. */
export const RECORD_LIMITS: Readonly<JsonLimits> = { maxDepth: 64, maxBytes: 1 << 20 };

/** An event's `metadata` (an object of a few fields): 64 KiB, 32 levels. */
export const METADATA_LIMITS: Readonly<JsonLimits> = { maxDepth: 32, maxBytes: 64 << 10 };

export type BoundedCheck = { ok: true } | { ok: false; reason: JsonLimitReason; detail: string };
export type BoundedParse = { ok: true; value: unknown } | { ok: false; reason: JsonLimitReason | 'invalid_json'; detail: string };
export type BoundedStringify = { ok: true; text: string } | { ok: false; reason: JsonLimitReason; detail: string };

// a UTF-16 code unit is 1 to 3 UTF-8 bytes: most texts are decided by their length alone, without a byte count
const overBytes = (text: string, max: number): boolean => text.length > max || (text.length * 3 > max && Buffer.byteLength(text, 'utf8') > max);

const OPEN_OBJECT = 0x7b, OPEN_ARRAY = 0x5b, CLOSE_OBJECT = 0x7d, CLOSE_ARRAY = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c;

/**
 * Deepest nesting of arrays/objects in JSON text (brackets inside strings do not count), found in one
 * pass; stops as soon as it exceeds `limit` and returns that depth.
 * @example jsonTextDepth('{"a":[1,{"b":"]"}]}') // 3
 */
export function jsonTextDepth(text: string, limit = Infinity): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return max;
}

/**
 * Whether the text holds at most `limit` opening brackets (strings included): its depth then cannot exceed
 * `limit`. Found with indexOf (native), it spares a flat record the character-by-character depth scan.
 */
function bracketsAtMost(text: string, limit: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > limit) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > limit) return false;
  return true;
}

/**
 * Deepest nesting of arrays/objects in a parsed value, walked without recursion; stops past `limit`.
 * @example valueDepth({ a: [1, { b: 2 }] }) // 3
 */
export function valueDepth(value: unknown, limit = Infinity): number {
  if (typeof value !== 'object' || value === null) return 0;
  // most values (an event, its metadata) are one flat object or array: no stack for them
  const children = Array.isArray(value) ? value : Object.values(value);
  let flat = true;
  for (let i = 0; i < children.length && flat; i++) flat = typeof children[i] !== 'object' || children[i] === null;
  if (flat) return 1;
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Check JSON text against the limits without parsing it.
 * @example checkJsonText(body, RECORD_LIMITS) // { ok: false, reason: 'too_deep', detail: 'nested more than 64 levels' }
 */
export function checkJsonText(text: string, limits: Readonly<JsonLimits>, what = 'value'): BoundedCheck {
  if (overBytes(text, limits.maxBytes)) {
    return { ok: false, reason: 'too_large', detail: `${what} is ${Buffer.byteLength(text, 'utf8')} bytes, more than ${limits.maxBytes}` };
  }
  if (!bracketsAtMost(text, limits.maxDepth) && jsonTextDepth(text, limits.maxDepth) > limits.maxDepth) return { ok: false, reason: 'too_deep', detail: `${what} nests more than ${limits.maxDepth} levels` };
  return { ok: true };
}

/**
 * Parse JSON text within the limits; a text starting with a byte-order mark is named as such.
 * @example parseBoundedJson('{"a":1}', RECORD_LIMITS) // { ok: true, value: { a: 1 } }
 */
export function parseBoundedJson(text: string, limits: Readonly<JsonLimits>, what = 'value'): BoundedParse {
  const check = checkJsonText(text, limits, what);
  if (!check.ok) return check;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const bom = text.charCodeAt(0) === 0xfeff;
    return { ok: false, reason: 'invalid_json', detail: bom ? `${what} starts with a UTF-8 byte-order mark (U+FEFF) before the JSON` : `${what} is not valid JSON` };
  }
}

/**
 * Serialise a parsed value within the limits (depth checked before `JSON.stringify` runs, unless the
 * caller knows it nests at most `depthWithin` levels and that is within them).
 * @example stringifyBounded(meta, METADATA_LIMITS) // { ok: true, text: '{"price":9}' }
 */
export function stringifyBounded(value: unknown, limits: Readonly<JsonLimits>, what = 'value', depthWithin = Infinity): BoundedStringify {
  if (depthWithin > limits.maxDepth && valueDepth(value, limits.maxDepth) > limits.maxDepth) return { ok: false, reason: 'too_deep', detail: `${what} nests more than ${limits.maxDepth} levels` };
  const text = JSON.stringify(value);
  if (overBytes(text, limits.maxBytes)) return { ok: false, reason: 'too_large', detail: `${what} is ${Buffer.byteLength(text, 'utf8')} bytes, more than ${limits.maxBytes}` };
  return { ok: true, text };
}

/**
 * `JSON.stringify` for values of any depth (dead letters must keep a record whatever its shape): tries
 * the native one, and on a stack overflow serialises with an explicit stack (same output for JSON data).
 * @example stringifyAnyDepth(JSON.parse('['.repeat(9000) + ']'.repeat(9000)))
 */
export function stringifyAnyDepth(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const out: string[] = [];
  // work items: a value to write, or literal text (separators and closing brackets)
  const work: ({ v: unknown } | string)[] = [{ v: value }];
  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === 'string') {
      out.push(item);
      continue;
    }
    let v = item.v;
    if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
    if (typeof v !== 'object' || v === null) {
      out.push(JSON.stringify(v) ?? 'null');
      continue;
    }
    const entries: [string | null, unknown][] = Array.isArray(v)
      ? v.map((x) => [null, x] as [null, unknown])
      : Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
    out.push(Array.isArray(v) ? '[' : '{');
    work.push(Array.isArray(v) ? ']' : '}');
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      work.push({ v: x });
      if (k !== null) work.push(`${JSON.stringify(k)}:`);
      if (i > 0) work.push(',');
    }
  }
  return out.join('');
}
