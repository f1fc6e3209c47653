/**
 * One shared copy of each repeated string value (a user agent, a path, a referrer) a source reads, so
 * that the rows of a batch carry the same string object for the same text. Why: a value sliced out of a
 * freshly decoded line is a new string every time — each lookup in a dictionary or session table hashes
 * it again and compares it with a key whose characters sit in an old input chunk (a cache miss), and a
 * key kept in a table keeps that whole chunk alive. A canonical copy is flat (it holds only its own
 * characters), its hash is computed once, and equal values compare by identity.
 * Bounded: the table is emptied when it reaches `capacity` entries, so high-cardinality fields cost one
 * copy per value and never grow memory with the input.
 */

/** A copy of `s` that holds only its own characters (not a slice of a larger string). */
export function flatCopy(s: string): string {
  // concatenation then slice makes V8 allocate a fresh flat string; the slice points into that copy only
  return ` ${s}`.slice(1);
}

export class StringCanon {
  private readonly table = new Map<string, string>();

  /**
   * @param capacity distinct values kept before the table starts over
   * @param maxLength longer values are copied but not kept (rare, and not worth keeping)
   * @example const uas = new StringCanon(); uas.canon(line.slice(a, b)) === uas.canon(other.slice(c, d)) // same text → same object
   */
  constructor(private readonly capacity = 8192, private readonly maxLength = 2048) {}

  /** The shared copy of `s` (null stays null); always a flat string, safe to keep. */
  canon(s: string | null): string | null {
    if (s === null) return null;
    const c = this.table.get(s);
    if (c !== undefined) return c;
    if (s.length > this.maxLength) return flatCopy(s);
    if (this.table.size >= this.capacity) this.table.clear();
    const f = flatCopy(s);
    this.table.set(f, f);
    return f;
  }
}
