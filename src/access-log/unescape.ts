/**
 * Undo the servers' log escaping. Apache (mod_log_config, since 2.0.46) writes `"` and `\` as `\"` and `\\`,
 * whitespace C-style (`\n`, `\t`) and other non-printable bytes as `\xhh`; nginx writes `"`, `\`, bytes
 * below 0x20 and from 0x7F up as `\xXX`. Both become the raw bytes, decoded as UTF-8 (invalid sequences →
 * U+FFFD), so the two spellings of one header give the same string.
 */
const C_ESCAPES: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, v: 11, f: 12, b: 8, '"': 34, '\\': 92 };

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Unescape a logged value (call only when it contains a backslash).
 * @example unescapeLogValue('Mozilla \\"x\\" caf\\xC3\\xA9') // 'Mozilla "x" café'
 */
export function unescapeLogValue(s: string): string {
  const bytes: number[] = [];
  let plainFrom = 0;
  const flushPlain = (to: number): void => {
    if (to > plainFrom) for (const b of Buffer.from(s.slice(plainFrom, to), 'utf8')) bytes.push(b);
  };
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 92 || i + 1 >= s.length) continue;
    const next = s.charAt(i + 1), escaped = C_ESCAPES[next];
    let byte = -1, width = 2;
    if (next === 'x' && i + 3 < s.length) {
      const h = hex(s.charCodeAt(i + 2)), l = hex(s.charCodeAt(i + 3));
      if (h >= 0 && l >= 0) {
        byte = h * 16 + l;
        width = 4;
      }
    } else if (escaped !== undefined) byte = escaped;
    if (byte < 0) continue; // a lone backslash stays as written
    flushPlain(i);
    bytes.push(byte);
    i += width - 1;
    plainFrom = i + 1;
  }
  flushPlain(s.length);
  return Buffer.from(bytes).toString('utf8');
}
