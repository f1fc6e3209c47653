/**
 * Write a figure as SVG, and as PNG when the optional rasteriser `@resvg/resvg-js` is installed (it is
 * loaded only if present, so phantom works without it; SVG is always written). Files are atomic.
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../../io/atomic.js';
import { ensureDir } from '../../io/ensure-dir.js';

interface ResvgModule {
  Resvg: new (svg: string, options?: { background?: string; fitTo?: { mode: 'zoom'; value: number } }) => { render(): { asPng(): Uint8Array } };
}

let loaded: Promise<ResvgModule | null> | null = null;

/** The rasteriser, or null when it is not installed. */
function resvg(): Promise<ResvgModule | null> {
  const name = '@resvg/resvg-js';
  loaded ??= import(name).then((m: unknown) => (m as ResvgModule).Resvg ? (m as ResvgModule) : null, () => null);
  return loaded;
}

/**
 * SVG → PNG at 2× scale, or null when `@resvg/resvg-js` is not installed.
 * @example const png = await svgToPng(svg); if (png) await atomicWriteFile('plot.png', png);
 */
export async function svgToPng(svg: string): Promise<Uint8Array | null> {
  const mod = await resvg();
  if (mod === null) return null;
  return new mod.Resvg(svg, { background: '#fff', fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
}

export interface WrittenFigure {
  svg: string;
  /** null when PNG output is unavailable */
  png: string | null;
}

/**
 * Write `<dir>/<name>.svg` (and `.png` when possible).
 * @example await writeFigure('plots', 'kernel-human', svg) // { svg: 'plots/kernel-human.svg', png: 'plots/kernel-human.png' }
 */
export async function writeFigure(dir: string, name: string, svg: string): Promise<WrittenFigure> {
  await ensureDir(dir);
  const svgPath = join(dir, `${name}.svg`);
  await atomicWriteFile(svgPath, svg);
  const png = await svgToPng(svg);
  if (png === null) return { svg: svgPath, png: null };
  const pngPath = join(dir, `${name}.png`);
  await atomicWriteFile(pngPath, png);
  return { svg: svgPath, png: pngPath };
}
