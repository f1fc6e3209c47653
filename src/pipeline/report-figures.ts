/**
 * The figures of the pipeline report as inline SVG strings, each built by the module that owns its
 * kind of chart: event mix and importance bars (charts.ts), kernel heat maps (heatmap.ts), the gap
 * score strip/box plot (strip-box.ts), and ROC / PR / calibration (the classifier's evaluationSvgs).
 */
import { CLASSES, kernelMatrix, smoothingFor, visits } from '../kernels/kernel.js';
import type { KernelsModel } from '../kernels/fit-kernels.js';
import { UNSCORED } from '../kernels/gap-scores.js';
import type { SeparabilityResult } from '../kernels/separability.js';
import { evaluationSvgs } from '../models/classifier/figures.js';
import type { ClassifierResult } from '../models/classifier/train-classifier.js';
import type { EventMix } from './event-mix.js';
import { barChart } from '../report/figures/charts.js';
import { heatmapSvg } from '../report/figures/heatmap.js';
import { stripBoxSvg } from '../report/figures/strip-box.js';

/**
 * Share of each class's events by event name (the `top` most frequent names; the rest as "other").
 * @example eventMixSvg(eventMix(table, table.isAgent))
 */
export function eventMixSvg(mix: EventMix, top = 14): string {
  const share = (v: number[], total: number) => v.map((x) => (total > 0 ? x / total : 0));
  const h = share(mix.human, mix.totals.human), a = share(mix.agent, mix.totals.agent);
  const groups = mix.names.slice(0, top).map((name, i) => ({ label: name, values: [h[i]!, a[i]!] }));
  if (mix.names.length > top) {
    const rest = (v: number[]) => v.slice(top).reduce((s, x) => s + x, 0);
    groups.push({ label: `other (${mix.names.length - top} names)`, values: [rest(h), rest(a)] });
  }
  return barChart(groups, [`human (${mix.totals.human.toLocaleString('en-US')} events)`, `agent (${mix.totals.agent.toLocaleString('en-US')} events)`], {
    title: 'Event mix by class', xLabel: "share of the class's events", width: 500, labelWidth: 160,
  });
}

/**
 * Heat maps of the human and agent kernels and of their difference (as `phantom kernels --plot`).
 * @example kernelHeatmaps(report) // [human, agent, difference]
 */
export function kernelHeatmaps(model: KernelsModel): string[] {
  const sm = smoothingFor(model.params.smoothing, model.vocabulary);
  const kernels = CLASSES.map((c) => kernelMatrix(model.classes[c].mass, sm));
  const unobserved = CLASSES.map((c) => Array.from(visits(model.classes[c]), (n, a) => n === 0 && a !== sm.end));
  const valueLabel = `P(next | current), ${model.params.state} states, α = ${model.params.smoothing}`;
  const maps = CLASSES.map((c, k) => heatmapSvg({
    title: `${c} kernel (${model.classes[c].sessions.toLocaleString('en-US')} sessions, ${model.classes[c].transitions.toLocaleString('en-US')} transitions)`,
    labels: model.vocabulary, values: kernels[k]!, scale: 'sequential', valueLabel, unobserved: unobserved[k]!,
  }));
  const diff = kernels[1]!.map((x, i) => x - kernels[0]![i]!);
  maps.push(heatmapSvg({
    title: 'agent − human kernel', labels: model.vocabulary, values: diff, scale: 'diverging', valueLabel: 'P_agent − P_human (blue: more agent)',
    unobserved: unobserved[0]!.map((u, a) => u || unobserved[1]![a]!),
  }));
  return maps;
}

/**
 * Strip/box plot of the scored sessions' gap scores by class.
 * @example gapScoresSvg(separability(table, flags))
 */
export function gapScoresSvg(r: SeparabilityResult): string {
  const groups = CLASSES.map((name, label) => {
    const values: number[] = [];
    r.sessions.labels.forEach((l, s) => {
      if (l === label && r.sessions.scores.status[s] === UNSCORED.scored) values.push(r.sessions.scores.gap[s]!);
    });
    return { name, values };
  });
  return stripBoxSvg(groups, { title: `Gap scores by class (p = ${r.test.pvalue.toPrecision(3)})`, yLabel: `gap = ΔH − ΔA, ${r.params.inSample ? 'in-sample' : 'leave-one-out'} (> 0: agent-like)`, reference: 0, width: 380 });
}

/**
 * ROC, PR and calibration curves of the held-out predictions (rows never held out are left out).
 * @example evaluationFigures(result, data.y) // [roc, pr, calibration] or [] without an evaluation
 */
export function evaluationFigures(r: ClassifierResult, y: Uint8Array): string[] {
  const e = r.evaluation;
  if (e === null) return [];
  const rows: number[] = [];
  e.predictions.forEach((p, i) => { if (Number.isFinite(p)) rows.push(i); });
  const svgs = evaluationSvgs(rows.map((i) => y[i]!), rows.map((i) => e.predictions[i]!), e.metrics, rows.map((i) => e.rawPredictions[i]!));
  return [svgs.roc, svgs.pr, svgs.calibration];
}

/**
 * Feature importance of the shipped model: each feature's share of the total gain, the `top` largest.
 * @example importanceSvg(result.importance)
 */
export function importanceSvg(rows: ClassifierResult['importance'], top = 15): string {
  const byShare = [...rows].sort((a, b) => b.gainShare - a.gainShare);
  return barChart(byShare.slice(0, top).map((r) => ({ label: r.feature, values: [r.gainShare] })), ['share of total gain'], {
    title: `Feature importance (top ${Math.min(top, rows.length)} by share of gain)`, xLabel: 'share of total gain', width: 500, labelWidth: 170,
  });
}

/**
 * Leakage audit: each feature's signal alone as |2·AUC − 1| = 2·max(AUC, 1 − AUC) − 1 (0: none, 1: the
 * feature alone separates the classes), which spreads the bars where max(AUC, 1 − AUC) crowds near 1.
 * @example leakageSvg(result.leakage)
 */
export function leakageSvg(audit: ClassifierResult['leakage'], top = 15): string {
  return barChart(audit.features.slice(0, top).map((f) => ({ label: `${f.feature}${f.flagged ? ' (flagged)' : ''}`, values: [2 * f.separation - 1] })), ['|2·AUC − 1|'], {
    title: `Single-feature signal (flagged at |2·AUC − 1| ≥ ${Number((2 * audit.threshold - 1).toFixed(4))})`, xLabel: '|2·AUC − 1| of the feature alone', width: 450, labelWidth: 160,
  });
}
