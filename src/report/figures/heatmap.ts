/**
 * Heat maps of transition kernels (rows = source, columns = destination), for `phantom kernels --plot`:
 * a sequential scale for probabilities and a diverging one for differences (agent − human).
 * Every cell is a `<rect class="cell">` with `data-row`/`data-col`/`data-value`, so tests can read it back.
 */
import { esc } from './charts.js';

export interface HeatmapOptions {
  title: string;
  /** state labels, for both rows (sources) and columns (destinations) */
  labels: readonly string[];
  /** V×V row-major values; NaN cells are drawn hatched grey */
  values: Float64Array;
  /** 'sequential' 0 → max (white → blue); 'diverging' −m → +m (red → white → blue) */
  scale: 'sequential' | 'diverging';
  /** what a cell's value is, for the legend (e.g. "P(next | current)") */
  valueLabel: string;
  /** print the value in each cell (default: when there are at most 16 states) */
  annotate?: boolean;
  /** rows without observations (a smoothed row there is only the prior): drawn grey, labelled "no data" */
  unobserved?: readonly boolean[];
  /** transitions observed out of each row's state: printed beside the row label */
  rowCounts?: readonly number[];
  /** rows resting on too few transitions to read (their probabilities are mostly noise): faded */
  faded?: readonly boolean[];
  /** legend line explaining the fading, e.g. "rows with n < 30 are faded" */
  fadeNote?: string;
}

/** Opacity of the cells of a row with too few transitions to read. */
export const FADED_OPACITY = 0.35;

function mix(a: [number, number, number], b: [number, number, number], t: number): string {
  const w = Math.max(0, Math.min(1, t));
  const channel = (x: number, y: number): number => Math.round(x + (y - x) * w);
  return `rgb(${channel(a[0], b[0])},${channel(a[1], b[1])},${channel(a[2], b[2])})`;
}

const WHITE: [number, number, number] = [255, 255, 255];
const BLUE: [number, number, number] = [29, 78, 216];
const RED: [number, number, number] = [185, 28, 28];

/** Colour of a value on the chosen scale with bound m (max for sequential, max |v| for diverging). */
export function cellColour(value: number, m: number, scale: HeatmapOptions['scale']): string {
  if (!Number.isFinite(value)) return '#d1d5db';
  if (scale === 'sequential') return mix(WHITE, BLUE, m > 0 ? value / m : 0);
  return value >= 0 ? mix(WHITE, BLUE, m > 0 ? value / m : 0) : mix(WHITE, RED, m > 0 ? -value / m : 0);
}

function cellText(v: number): string {
  if (!Number.isFinite(v)) return '';
  const a = Math.abs(v);
  return a === 0 ? '0' : a < 0.005 ? '·' : v.toFixed(2).replace(/^(-?)0\./, '$1.');
}

/**
 * An SVG heat map of a square matrix.
 * @example heatmapSvg({ title: 'human kernel', labels: vocab, values: kernel, scale: 'sequential', valueLabel: 'P(next | current)' })
 */
export function heatmapSvg(o: HeatmapOptions): string {
  const v = o.labels.length;
  const cell = v <= 16 ? 34 : v <= 40 ? 18 : 10;
  const countText = (i: number): string => {
    const n = o.rowCounts?.[i];
    return n === undefined ? '' : ` n=${n.toLocaleString('en-US')}`;
  };
  const faded = (i: number): boolean => o.faded?.[i] === true && o.unobserved?.[i] !== true;
  const longest = o.labels.reduce((m, s, i) => Math.max(m, s.length + countText(i).length), 0) + (o.unobserved?.some(Boolean) ? 10 : 0);
  const labelW = Math.min(260, 12 + longest * 6.2);
  const left = labelW, top = 34 + labelW * 0.72, legendH = 46;
  // Column labels run up-right at 45°, so the last one needs about its own length × cos 45° of room.
  const width = left + v * cell + Math.max(24, labelW * 0.72), height = top + v * cell + legendH;
  let m = 0;
  o.values.forEach((x, i) => {
    if (Number.isFinite(x) && o.unobserved?.[Math.floor(i / v)] !== true) m = Math.max(m, Math.abs(x));
  });
  const annotate = o.annotate ?? v <= 16;
  const parts: string[] = [];
  o.labels.forEach((s, i) => {
    const y = top + i * cell + cell / 2 + 4;
    const none = o.unobserved?.[i] === true;
    const dim = none || faded(i);
    parts.push(`<text class="row-label" data-row="${i}"${o.rowCounts ? ` data-count="${o.rowCounts[i]}"` : ''}${faded(i) ? ' data-faded="true"' : ''} x="${left - 6}" y="${y}" text-anchor="end"${dim ? ' fill="#9ca3af" font-style="italic"' : ''}>${esc(none ? `${s} (no data)` : `${s}${countText(i)}`)}</text>`);
    const x = left + i * cell + cell / 2;
    parts.push(`<text class="col-label" transform="translate(${x + 4} ${top - 6}) rotate(-45)">${esc(s)}</text>`);
  });
  for (let a = 0; a < v; a++) {
    for (let b = 0; b < v; b++) {
      const x = o.values[a * v + b]!;
      const none = o.unobserved?.[a] === true;
      const fill = none ? '#eef0f3' : cellColour(x, m, o.scale);
      const title = `${o.labels[a]} → ${o.labels[b]}: ${Number.isFinite(x) ? x.toPrecision(4) : 'undefined'}`;
      parts.push(`<rect class="cell" data-row="${a}" data-col="${b}" data-value="${Number.isFinite(x) ? x : 'NaN'}" x="${left + b * cell}" y="${top + a * cell}" width="${cell}" height="${cell}" fill="${fill}"${faded(a) ? ` fill-opacity="${FADED_OPACITY}"` : ''} stroke="#fff" stroke-width="0.5"><title>${esc(title)}</title></rect>`);
      if (annotate && !none && Number.isFinite(x)) {
        const dark = o.scale === 'sequential' ? x / (m || 1) > 0.55 : Math.abs(x) / (m || 1) > 0.55;
        parts.push(`<text x="${left + b * cell + cell / 2}" y="${top + a * cell + cell / 2 + 3}" text-anchor="middle" font-size="9" fill="${dark ? '#fff' : '#111'}">${cellText(x)}</text>`);
      }
    }
  }
  const barX = left, barY = top + v * cell + 14, barW = Math.max(120, Math.min(240, v * cell));
  const lo = o.scale === 'diverging' ? -m : 0;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `<stop offset="${t}" stop-color="${cellColour(lo + (m - lo) * t, m, o.scale)}"/>`).join('');
  parts.push(`<defs><linearGradient id="legend-${o.scale}">${stops}</linearGradient></defs>`);
  parts.push(`<rect class="legend" x="${barX}" y="${barY}" width="${barW}" height="10" fill="url(#legend-${o.scale})" stroke="#9ca3af"/>`);
  parts.push(`<text x="${barX}" y="${barY + 22}">${lo === 0 ? '0' : lo.toPrecision(2)}</text><text x="${barX + barW}" y="${barY + 22}" text-anchor="end">${m.toPrecision(2)}</text>`);
  parts.push(`<text x="${barX + barW + 8}" y="${barY + 9}">${esc(o.valueLabel)}</text>`);
  if (o.fadeNote !== undefined) parts.push(`<text class="fade-note" x="${barX + barW + 8}" y="${barY + 24}" fill="#6b7280">${esc(o.fadeNote)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(o.title)}">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${width / 2}" y="18" text-anchor="middle" font-size="13" font-weight="600">${esc(o.title)}</text>
<text x="${left - 6}" y="${top - 6}" text-anchor="end" fill="#6b7280">from ↓ / to →</text>
${parts.join('\n')}
</svg>`;
}
