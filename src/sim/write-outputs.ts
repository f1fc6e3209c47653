/**
 * Files of `phantom simulate`: runs.csv, summary.json (grid, summary cells, regressions) and the figures
 * (revenue, regret and COI against α; price traces), all written atomically into one folder.
 */
import { join } from 'node:path';
import { atomicWriteFile } from '../io/atomic.js';
import { alphaCurveChart } from '../report/figures/sim-alpha-curves.js';
import { priceTraceChart } from '../report/figures/sim-price-traces.js';
import { writeFigure } from '../report/figures/write-figure.js';
import type { GridResult } from './grid.js';
import { runsCsv } from './runs-csv.js';
import type { AlphaRegression, SummaryCell } from './summary.js';
import { ensureDir } from '../io/ensure-dir.js';

export interface SimulationFiles {
  runs: string;
  summary: string;
  figures: string[];
}

/** @example await writeSimulationOutputs('out', result, cells, regressions, { grid }, true) */
export async function writeSimulationOutputs(dir: string, result: GridResult, cells: SummaryCell[], regressions: AlphaRegression[], header: Record<string, unknown>, plot: boolean): Promise<SimulationFiles> {
  await ensureDir(dir);
  const runs = join(dir, 'runs.csv'), summary = join(dir, 'summary.json');
  await atomicWriteFile(runs, runsCsv(result.rows));
  const json = JSON.stringify({ ...header, summary: cells, regressions }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
  await atomicWriteFile(summary, `${json}\n`);
  const figures: string[] = [];
  if (plot) {
    const add = async (name: string, svg: string) => { const f = await writeFigure(dir, name, svg); figures.push(f.svg, ...(f.png ? [f.png] : [])); };
    const ci = (header['grid'] as { ci?: number } | undefined)?.ci;
    await add('revenue-vs-alpha', alphaCurveChart(cells, 'revenue', 'Revenue vs contamination', 'revenue per run', ci));
    await add('regret-vs-alpha', alphaCurveChart(cells, 'regret', 'Regret vs contamination', 'revenue(oracle) − revenue(policy)', ci));
    await add('coi-vs-alpha', alphaCurveChart(cells, 'coi', 'Cost of information vs contamination', 'COI = mean price − p_min', ci));
    if (result.traces.length > 0) await add('price-traces', priceTraceChart(result.traces));
  }
  return { runs, summary, figures };
}
