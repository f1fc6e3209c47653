/**
 * Strip plot with box plot overlay, one column per group (gap scores by class for `phantom separability
 * --plot`). Boxes are Tukey's: quartiles (numpy's linear method), whiskers to the furthest point within
 * 1.5·IQR. Jitter is deterministic (golden-ratio sequence), so the same data draws the same picture.
 */
import { quantileSorted, sortedValues } from '../../stats/descriptive.js';
import { esc, PALETTE, ticks } from './charts.js';

export interface StripGroup {
  name: string;
  values: ArrayLike<number>;
}

export interface StripBoxOptions {
  title: string;
  yLabel: string;
  /** draw a dashed horizontal reference line at this value (e.g. 0 for gap scores) */
  reference?: number;
  width?: number;
  height?: number;
}

const M = { left: 56, right: 16, top: 30, bottom: 36 };

/** Tukey box of sorted finite values. */
export function tukeyBox(sorted: Float64Array): { q1: number; median: number; q3: number; low: number; high: number } {
  const q1 = quantileSorted(sorted, 0.25), median = quantileSorted(sorted, 0.5), q3 = quantileSorted(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  let low = median, high = median;
  for (const x of sorted) {
    if (x >= q1 - fence) low = Math.min(low, x);
    if (x <= q3 + fence) high = Math.max(high, x);
  }
  return { q1, median, q3, low, high };
}

/**
 * SVG strip + box plot.
 * @example stripBoxSvg([{ name: 'human', values: h }, { name: 'agent', values: a }], { title: 'Gap scores', yLabel: 'gap', reference: 0 })
 */
export function stripBoxSvg(groups: StripGroup[], o: StripBoxOptions): string {
  const w = o.width ?? 140 + groups.length * 170, h = o.height ?? 360;
  const finite = groups.map((g) => sortedValues(g.values).filter((x) => Number.isFinite(x)));
  let lo = Infinity, hi = -Infinity;
  for (const s of finite) {
    const least = s[0], most = s.at(-1);
    if (least !== undefined && most !== undefined) { lo = Math.min(lo, least); hi = Math.max(hi, most); }
  }
  if (o.reference !== undefined) { lo = Math.min(lo, o.reference); hi = Math.max(hi, o.reference); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * 0.05;
  lo -= pad; hi += pad;
  const sy = (v: number) => h - M.bottom - ((v - lo) / (hi - lo)) * (h - M.top - M.bottom);
  const band = (w - M.left - M.right) / groups.length;
  const parts: string[] = [];
  for (const t of ticks(lo, hi)) parts.push(`<line x1="${M.left}" x2="${w - M.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e7eb"/><text x="${M.left - 4}" y="${(sy(t) + 3).toFixed(1)}" text-anchor="end">${t}</text>`);
  if (o.reference !== undefined) parts.push(`<line class="reference" x1="${M.left}" x2="${w - M.right}" y1="${sy(o.reference).toFixed(1)}" y2="${sy(o.reference).toFixed(1)}" stroke="#6b7280" stroke-dasharray="4 3"/>`);
  groups.forEach((g, k) => {
    const s = finite[k]!, cx = M.left + band * (k + 0.5), colour = PALETTE[k % PALETTE.length]!;
    parts.push(`<text x="${cx}" y="${h - M.bottom + 16}" text-anchor="middle">${esc(g.name)} (n = ${s.length})</text>`);
    for (let i = 0; i < g.values.length; i++) {
      const x = g.values[i]!;
      if (!Number.isFinite(x)) continue;
      const jitter = (((i + 1) * 0.6180339887) % 1) - 0.5;
      parts.push(`<circle class="point" data-group="${esc(g.name)}" cx="${(cx + jitter * band * 0.5).toFixed(1)}" cy="${sy(x).toFixed(1)}" r="2.2" fill="${colour}" fill-opacity="0.45"/>`);
    }
    if (s.length === 0) return;
    const b = tukeyBox(s), bw = band * 0.28;
    parts.push(`<g class="box" data-group="${esc(g.name)}" data-median="${b.median}" fill="none" stroke="#111" stroke-width="1.3">
<line x1="${cx}" x2="${cx}" y1="${sy(b.high).toFixed(1)}" y2="${sy(b.q3).toFixed(1)}"/><line x1="${cx}" x2="${cx}" y1="${sy(b.q1).toFixed(1)}" y2="${sy(b.low).toFixed(1)}"/>
<line x1="${cx - bw / 2}" x2="${cx + bw / 2}" y1="${sy(b.high).toFixed(1)}" y2="${sy(b.high).toFixed(1)}"/><line x1="${cx - bw / 2}" x2="${cx + bw / 2}" y1="${sy(b.low).toFixed(1)}" y2="${sy(b.low).toFixed(1)}"/>
<rect x="${(cx - bw).toFixed(1)}" y="${sy(b.q3).toFixed(1)}" width="${(2 * bw).toFixed(1)}" height="${Math.max(0.5, sy(b.q1) - sy(b.q3)).toFixed(1)}"/>
<line x1="${(cx - bw).toFixed(1)}" x2="${(cx + bw).toFixed(1)}" y1="${sy(b.median).toFixed(1)}" y2="${sy(b.median).toFixed(1)}" stroke-width="2.2"/></g>`);
  });
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${w - M.left - M.right}" height="${h - M.top - M.bottom}" fill="none" stroke="#9ca3af"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(o.title)}">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${w / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${esc(o.title)}</text>
<text transform="translate(14 ${h / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>
${parts.join('\n')}
</svg>`;
}
