/**
 * Text tables and the figure for `phantom kernels --order auto | --absorbing | --evaluate-next`.
 */
import type { AbsorbingAnalysis } from '../kernels/absorbing.js';
import { CLASSES } from '../kernels/kernel.js';
import type { KernelsExtras } from '../kernels/kernels-extras.js';
import type { KernelsReport } from '../kernels/fit-kernels.js';
import { barChart } from './figures/charts.js';
import { writeFigure } from './figures/write-figure.js';
import { renderTable, type Cell } from './table.js';

/**
 * The divergence table's rows (`phantom kernels`, the pipeline report): observed KL/JS beside the split-half
 * null. With no null replicates (`--bootstrap 0`) the null columns are "–" (not computed), not NaN.
 */
export function divergenceRows(d: KernelsReport['divergence'], n: KernelsReport['null']): Cell[][] {
  const nul = (x: number): Cell => (n.replicates > 0 ? x : null);
  return [
    ['KL(H‖A)', d.klHumanAgent, nul(n.klHumanAgent.nullMean), nul(n.klHumanAgent.p), nul(n.klHumanAgent.lift)],
    ['KL(A‖H)', d.klAgentHuman, nul(n.klAgentHuman.nullMean), nul(n.klAgentHuman.p), nul(n.klAgentHuman.lift)],
    ['JS', d.js, nul(n.js.nullMean), nul(n.js.p), nul(n.js.lift)],
  ];
}

/** All requested sections as text, in a fixed order. */
export function renderKernelsExtras(x: KernelsExtras): string {
  const parts: string[] = [];
  if (x.orderSelection) {
    for (const c of CLASSES) {
      const s = x.orderSelection[c];
      if (!s) continue;
      const b = s.byCriterion;
      parts.push(`order selection, ${c} (selected: ${s.selectedOrder} by BIC; LRT ${b.lrt}, AIC ${b.aic}, held-out ${b.heldOut}; ${s.sessions.train} fit / ${s.sessions.test} held out)\n${renderTable(
        ['order', 'log-likelihood', 'df', 'AIC', 'BIC', 'LRT χ²', 'LRT df', 'LRT p', 'held-out LL/transition'],
        s.fits.map((f): Cell[] => [f.order, f.logLikelihood, f.df, f.aic, f.bic, f.lrt.statistic, f.lrt.df, f.lrt.p, f.heldOut]),
      )}`);
    }
  }
  if (x.absorbing) {
    for (const c of CLASSES) {
      const a = x.absorbing[c];
      if (!a) continue;
      parts.push(`absorbing chain, ${c} (α-smoothed first-order kernel): P(purchase | <start>) = ${a.conversion.toPrecision(4)}\n${renderTable(
        ['state', 'P(purchase | state)', 'expected steps', 'removal effect', 'P drop'],
        a.vocabulary.map((s, k): Cell[] => [s, a.purchaseProbability[k], a.expectedSteps[k], a.removalEffect[k], a.removalDrop[k]]),
      )}`);
    }
  }
  if (x.nextClick) {
    for (const c of CLASSES) {
      const n = x.nextClick[c];
      if (!n) continue;
      parts.push(`next-click prediction, ${c} (${n.transitions.toLocaleString('en-US')} held-out clicks in ${n.sessions.test} sessions; fit on ${n.sessions.train})\n${renderTable(
        ['model', `hit rate@${n.top}`, `MRR@${n.top}`], n.scores.map((s): Cell[] => [s.model, s.hitRate, s.mrr]),
      )}`);
    }
  }
  return parts.join('\n\n');
}

/**
 * SVG bar chart of P(purchase | state) per class over the transient states.
 * @example absorbingChartSvg(extras.absorbing)
 */
export function absorbingChartSvg(absorbing: Partial<Record<(typeof CLASSES)[number], AbsorbingAnalysis>>): string {
  const present = CLASSES.flatMap((c) => {
    const a = absorbing[c];
    return a === undefined ? [] : [{ c, a }];
  });
  const first = present[0]?.a;
  if (first === undefined) throw new Error('absorbingChartSvg: no class has an absorbing analysis');
  const groups = first.vocabulary.map((label, k) => ({ label, values: present.map(({ a }) => a.purchaseProbability[k]!) }))
    .filter((_, k) => first.expectedSteps[k]! > 0);
  return barChart(groups, present.map(({ c }) => c), { title: 'P(purchase | state), purchase_complete and <end> absorbing', xLabel: 'probability of ending in purchase_complete' });
}

/**
 * Write the bar chart of P(purchase | state) per class; returns the paths written.
 * @example await writeAbsorbingPlot('plots', extras.absorbing)
 */
export async function writeAbsorbingPlot(dir: string, absorbing: Partial<Record<(typeof CLASSES)[number], AbsorbingAnalysis>>): Promise<string[]> {
  if (!CLASSES.some((c) => absorbing[c])) return [];
  const f = await writeFigure(dir, 'absorbing-purchase', absorbingChartSvg(absorbing));
  return [f.svg, ...(f.png ? [f.png] : [])];
}

/**
 * kernels.json / --json with the extra analyses: `orderSelection` (and `selectedOrder` in each class),
 * `absorbing`, `nextClick`; unchanged when none was asked for. Non-finite numbers become null.
 */
export function withExtras(doc: Record<string, unknown>, x: KernelsExtras): Record<string, unknown> {
  if (!x.orderSelection && !x.absorbing && !x.nextClick) return doc;
  const finite = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, y: unknown) => (typeof y === 'number' && !Number.isFinite(y) ? null : y)));
  const out: Record<string, unknown> = { ...doc };
  if (x.orderSelection) {
    const classes = doc.classes as Record<string, Record<string, unknown>>;
    out.classes = Object.fromEntries(Object.entries(classes).map(([c, k]) => [c, { ...k, selectedOrder: x.orderSelection![c as 'human']?.selectedOrder ?? null }]));
    out.orderSelection = finite(x.orderSelection);
  }
  if (x.absorbing) out.absorbing = finite(x.absorbing);
  if (x.nextClick) out.nextClick = finite(x.nextClick);
  return out;
}
