/**
 * Compact JSON in xgboost 1.7's own number style, so phantom's files read like `Booster.save_model` output:
 * float32 values in shortest round-trip scientific form ("5.061082E-1", "0E0"), parameters as
 * strings ("5E-1" for base_score, "%.9g" for dmlc float parameters such as scale_pos_weight).
 */

/** A JSON value where Float32Array marks float arrays and Int32Array/Uint8Array integer arrays. */
export type JsonOut = string | number | boolean | null | Float32Array | Int32Array | Uint8Array | JsonOut[] | { [key: string]: JsonOut };

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);

/**
 * Shortest decimal that rounds back to the same float32, as xgboost's JSON writer prints floats.
 * @example formatFloat32(0.5); // '5E-1'
 */
export function formatFloat32(v: number): string {
  const x = Math.fround(v);
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0E0' : '0E0';
  let digits = '';
  f32[0] = x;
  if ((u32[0]! & 0x7fffff) === 0) {
    // a power of two: its lower neighbour is nearer than its upper one, so try every length in turn
    for (let p = 1; p <= 9; p++) {
      digits = x.toExponential(p - 1);
      if (Math.fround(Number(digits)) === x) break;
    }
  } else {
    // elsewhere the decimals that read back as x are an interval centred on x, and x rounded to p + 1 digits
    // is no farther from x than rounded to p: "reads back" is monotone in p, so bisect 1..9 (9 always does)
    let lo = 1, hi = 9;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const d = x.toExponential(mid - 1);
      if (Math.fround(Number(d)) === x) { hi = mid; digits = d; } else lo = mid + 1;
    }
    if (hi === 9 && digits === '') digits = x.toExponential(8);
  }
  const [mant, exp] = digits.split('e') as [string, string];
  return `${mant}E${Number(exp)}`;
}

/**
 * A float parameter as dmlc-core prints it (ostream with precision 9, i.e. C's %.9g).
 * @example formatParamFloat(1.6891); // '1.68910003'
 */
export function formatParamFloat(v: number): string {
  const x = Math.fround(v);
  if (x === 0) return '0';
  const [mant, expText] = x.toExponential(8).split('e') as [string, string];
  const e = Number(expText);
  if (e < -4 || e >= 9) return `${stripZeros(mant)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return stripZeros(x.toFixed(Math.max(0, 8 - e)));
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * Serialise without whitespace, keys in the order given.
 * @example writeJson({ a: Float32Array.of(0.5) }); // '{"a":[5E-1]}'
 */
export function writeJson(v: JsonOut): string {
  const parts: string[] = [];
  write(v, parts);
  return parts.join('');
}

function write(v: JsonOut, out: string[]): void {
  if (v instanceof Float32Array) {
    out.push('[', Array.from(v, formatFloat32).join(','), ']');
  } else if (v instanceof Int32Array || v instanceof Uint8Array) {
    out.push('[', v.join(','), ']');
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => { if (i > 0) out.push(','); write(item, out); });
    out.push(']');
  } else if (v !== null && typeof v === 'object') {
    out.push('{');
    Object.entries(v).forEach(([k, item], i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(item, out);
    });
    out.push('}');
  } else {
    out.push(JSON.stringify(v));
  }
}
