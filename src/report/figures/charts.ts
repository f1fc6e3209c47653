/**
 * Small hand-written SVG charts (line and grouped bar), self-contained for report.html and `--plot DIR`.
 * No fonts or scripts are referenced; every mark carries a `data-series` attribute so tests can count them.
 */

export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** dashed reference line (e.g. the diagonal of a ROC plot) */
  dashed?: boolean;
  /** interval around y (e.g. a 95% CI): drawn as a shaded band with whiskers at the points */
  lo?: ArrayLike<number>;
  hi?: ArrayLike<number>;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xDomain?: [number, number];
  yDomain?: [number, number];
  /** draw points as well as lines */
  points?: boolean;
}

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];

/** Escape text for SVG/HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round for compact coordinates. */
function r(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** ~5 "nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function extent(values: ArrayLike<number>[], pad = 0): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) { lo = Math.min(lo, v[i]!); hi = Math.max(hi, v[i]!); }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

function frame(o: { title: string; xLabel: string; yLabel: string; width: number; height: number }, body: string, legend: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${o.width} ${o.height}" width="${o.width}" height="${o.height}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(o.title)}">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${o.width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${esc(o.title)}</text>
<text x="${o.width / 2}" y="${o.height - 4}" text-anchor="middle">${esc(o.xLabel)}</text>
<text transform="translate(12 ${o.height / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>
${body}
${legend}
</svg>`;
}

const M = { left: 52, right: 14, top: 28, bottom: 40 };

function axes(w: number, h: number, xd: [number, number], yd: [number, number], sx: (v: number) => number, sy: (v: number) => number, xTickLabels?: string[]): string {
  const parts: string[] = [];
  for (const t of ticks(yd[0], yd[1])) {
    parts.push(`<line x1="${M.left}" x2="${w - M.right}" y1="${r(sy(t))}" y2="${r(sy(t))}" stroke="#e5e7eb"/><text x="${M.left - 4}" y="${r(sy(t) + 3)}" text-anchor="end">${t}</text>`);
  }
  if (xTickLabels === undefined) {
    for (const t of ticks(xd[0], xd[1])) parts.push(`<text x="${r(sx(t))}" y="${h - M.bottom + 14}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${w - M.left - M.right}" height="${h - M.top - M.bottom}" fill="none" stroke="#9ca3af"/>`);
  return parts.join('\n');
}

function legendBox(names: string[], w: number, at?: { x: number; y: number }): string {
  const x = at?.x ?? w - M.right - 150, y = at?.y ?? M.top + 8;
  return names.map((n, i) => `<g class="legend" transform="translate(${r(x)} ${r(y + i * 14)})"><rect width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="14" y="9">${esc(n)}</text></g>`).join('\n');
}

/** Legend width estimate: swatch + ~6.2 px per character at font-size 11. */
const legendWidth = (names: string[]): number => 20 + 6.2 * names.reduce((m, n) => Math.max(m, n.length), 0);

/**
 * The inside corner of the plot area whose legend box covers the fewest data points (segments sampled),
 * so a legend never hides the curve it names (ROC curves fill the top left, PR curves the top).
 */
export function legendCorner(pointsPx: [number, number][], w: number, h: number, names: string[]): { x: number; y: number } {
  const bw = legendWidth(names) + 8, bh = names.length * 14 + 4;
  const corners = [
    { x: w - M.right - bw, y: M.top + 6 }, { x: w - M.right - bw, y: h - M.bottom - bh - 4 },
    { x: M.left + 8, y: M.top + 6 }, { x: M.left + 8, y: h - M.bottom - bh - 4 },
  ] as const;
  let best: { x: number; y: number } = corners[0], fewest = Infinity;
  for (const c of corners) {
    let n = 0;
    for (const [px, py] of pointsPx) if (px >= c.x - 4 && px <= c.x + bw && py >= c.y - 4 && py <= c.y + bh) n++;
    if (n < fewest) { fewest = n; best = c; }
  }
  return best;
}

/** Points every few pixels along a polyline, for legendCorner. */
function samplePolyline(pts: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let previous: [number, number] | undefined;
  for (const point of pts) {
    out.push(point);
    if (previous !== undefined) {
      const [x0, y0] = previous, [x1, y1] = point;
      const steps = Math.min(200, Math.floor(Math.hypot(x1 - x0, y1 - y0) / 4));
      for (let j = 1; j < steps; j++) out.push([x0 + ((x1 - x0) * j) / steps, y0 + ((y1 - y0) * j) / steps]);
    }
    previous = point;
  }
  return out;
}

/** A series' interval: a translucent band between lo and hi, and a whisker at each point. */
function intervalMarks(s: Series, color: string, sx: (v: number) => number, sy: (v: number) => number): string {
  const upper: string[] = [], lower: string[] = [], whiskers: string[] = [];
  for (let k = 0; k < s.x.length; k++) {
    const x = s.x[k]!, lo = s.lo![k]!, hi = s.hi![k]!;
    if (!Number.isFinite(x) || !Number.isFinite(lo) || !Number.isFinite(hi)) continue;
    upper.push(`${r(sx(x))},${r(sy(hi))}`);
    lower.unshift(`${r(sx(x))},${r(sy(lo))}`);
    whiskers.push(`<line class="interval-bar" data-series="${esc(s.name)}" data-lo="${lo}" data-hi="${hi}" x1="${r(sx(x))}" x2="${r(sx(x))}" y1="${r(sy(lo))}" y2="${r(sy(hi))}" stroke="${color}" stroke-width="1"/>`);
  }
  const band = upper.length > 1 ? `<polygon class="interval" data-series="${esc(s.name)}" fill="${color}" fill-opacity="0.12" stroke="none" points="${[...upper, ...lower].join(' ')}"/>` : '';
  return band + whiskers.join('');
}

/**
 * A line chart of one or more series.
 * @example lineChart([{ name: 'ROC', x: fpr, y: tpr }], { title: 'ROC', xLabel: 'FPR', yLabel: 'TPR' })
 */
export function lineChart(series: Series[], o: LineChartOptions): string {
  const w = o.width ?? 420, h = o.height ?? 320;
  const xd = o.xDomain ?? extent(series.map((s) => s.x));
  const yd = o.yDomain ?? extent(series.flatMap((s) => [s.y, ...(s.lo ? [s.lo] : []), ...(s.hi ? [s.hi] : [])]), 0.05);
  const sx = (v: number) => M.left + ((v - xd[0]) / (xd[1] - xd[0])) * (w - M.left - M.right);
  const sy = (v: number) => h - M.bottom - ((v - yd[0]) / (yd[1] - yd[0])) * (h - M.top - M.bottom);
  const plotted: [number, number][] = [];
  const body = series
    .map((s, i) => {
      const color = s.dashed ? '#9ca3af' : PALETTE[i % PALETTE.length];
      const pts: string[] = [];
      const px: [number, number][] = [];
      for (let k = 0; k < s.x.length; k++) if (Number.isFinite(s.x[k]!) && Number.isFinite(s.y[k]!)) { pts.push(`${r(sx(s.x[k]!))},${r(sy(s.y[k]!))}`); px.push([sx(s.x[k]!), sy(s.y[k]!)]); }
      plotted.push(...samplePolyline(px));
      const band = s.lo && s.hi ? intervalMarks(s, color!, sx, sy) : '';
      const line = `<polyline data-series="${esc(s.name)}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${pts.join(' ')}"/>`;
      const dots = o.points ? pts.map((p) => `<circle data-series="${esc(s.name)}" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${color}"/>`).join('') : '';
      return band + line + dots;
    })
    .join('\n');
  const names = series.filter((s) => !s.dashed).map((s) => s.name);
  return frame({ ...o, width: w, height: h }, `${axes(w, h, xd, yd, sx, sy)}\n${body}`, legendBox(names, w, legendCorner(plotted, w, h, names)));
}

export interface BarGroup {
  label: string;
  values: number[];
}

/**
 * Horizontal grouped bars: one row per group, one bar per series (e.g. event mix by class, importance).
 * @example barChart([{ label: 'page_view', values: [0.4, 0.3] }], ['human', 'agent'], { title: 'Event mix', xLabel: 'share' })
 */
export function barChart(groups: BarGroup[], seriesNames: string[], o: { title: string; xLabel: string; width?: number; labelWidth?: number }): string {
  const labelW = o.labelWidth ?? 150;
  const barH = 9, gap = 6;
  const rowH = seriesNames.length * barH + gap;
  const w = o.width ?? 520;
  // several series: their legend is one row above the bars, never over them
  const legendRow = seriesNames.length > 1 ? 18 : 0;
  const top = M.top + legendRow;
  const h = top + groups.length * rowH + M.bottom + 8;
  let max = 0;
  for (const g of groups) for (const v of g.values) if (Number.isFinite(v)) max = Math.max(max, v);
  if (max <= 0) max = 1;
  const left = labelW;
  const sx = (v: number) => (v / max) * (w - left - M.right - 40);
  const parts: string[] = [];
  for (const t of ticks(0, max)) parts.push(`<line x1="${r(left + sx(t))}" x2="${r(left + sx(t))}" y1="${top}" y2="${h - M.bottom}" stroke="#f3f4f6"/><text x="${r(left + sx(t))}" y="${h - M.bottom + 14}" text-anchor="middle">${t}</text>`);
  groups.forEach((g, gi) => {
    const y0 = top + 6 + gi * rowH;
    parts.push(`<text x="${left - 6}" y="${r(y0 + (seriesNames.length * barH) / 2 + 4)}" text-anchor="end">${esc(g.label)}</text>`);
    g.values.forEach((v, si) => {
      const width = Number.isFinite(v) ? Math.max(0, sx(v)) : 0;
      parts.push(`<rect data-series="${esc(seriesNames[si] ?? '')}" x="${left}" y="${r(y0 + si * barH)}" width="${r(width)}" height="${barH - 1}" fill="${PALETTE[si % PALETTE.length]}"><title>${esc(`${g.label} · ${seriesNames[si]}: ${v}`)}</title></rect>`);
      if (seriesNames.length === 1 && Number.isFinite(v)) parts.push(`<text x="${r(left + width + 4)}" y="${r(y0 + barH - 1)}" font-size="10" fill="#4b5563">${Number(v.toPrecision(3))}</text>`);
    });
  });
  let x = left;
  const legend = seriesNames.length > 1
    ? seriesNames.map((n, i) => {
      const item = `<g class="legend" transform="translate(${r(x)} ${M.top})"><rect width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="14" y="9">${esc(n)}</text></g>`;
      x += legendWidth([n]) + 12;
      return item;
    }).join('\n')
    : '';
  return frame({ title: o.title, xLabel: o.xLabel, yLabel: '', width: w, height: h }, parts.join('\n'), legend);
}
