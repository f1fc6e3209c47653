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
import type { EventMix } from '../pipeline/event-mix.js';
import { barChart } from './figures/charts.js';
import { heatmapSvg } from './figures/heatmap.js';
import { stripBoxSvg } from './figures/strip-box.js';

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
    title: 'Event mix by class', xLabel: "share of the class's events", width: 560, labelWidth: 170,
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
  const how = r.params.inSample ? 'in-sample centroids' : 'leave-one-out centroids';
  return stripBoxSvg(groups, { title: `Gap scores ΔH − ΔA (${how}; p = ${r.test.pvalue.toPrecision(3)})`, yLabel: 'gap = ΔH − ΔA (> 0: agent-like)', reference: 0 });
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
  const svgs = evaluationSvgs(rows.map((i) => y[i]!), rows.map((i) => e.predictions[i]!), e.metrics);
  return [svgs.roc, svgs.pr, svgs.calibration];
}

/**
 * Feature importance of the shipped model: share of total gain, top `top` features.
 * @example importanceSvg(result.importance)
 */
export function importanceSvg(rows: ClassifierResult['importance'], top = 15): string {
  return barChart(rows.slice(0, top).map((r) => ({ label: r.feature, values: [r.gainShare] })), ['share of total gain'], {
    title: `Feature importance (top ${Math.min(top, rows.length)} by gain)`, xLabel: 'share of total gain', width: 560, labelWidth: 190,
  });
}

/**
 * Leakage audit: each feature's single-feature separation max(AUC, 1 − AUC), top `top`.
 * @example leakageSvg(result.leakage)
 */
export function leakageSvg(audit: ClassifierResult['leakage'], top = 15): string {
  return barChart(audit.features.slice(0, top).map((f) => ({ label: `${f.feature}${f.flagged ? ' ⚠' : ''}`, values: [f.separation] })), ['max(AUC, 1 − AUC)'], {
    title: `Single-feature separation (flagged at ≥ ${audit.threshold})`, xLabel: 'max(AUC, 1 − AUC) of the feature alone', width: 560, labelWidth: 190,
  });
}
