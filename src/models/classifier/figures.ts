/**
 * Evaluation figures (SVG, and PNG when the rasteriser is installed) through src/report/figures:
 * ROC curve with the chance diagonal, precision–recall curve with the prevalence baseline, and the
 * calibration (reliability) plot against the diagonal.
 */
import { lineChart } from '../../report/figures/charts.js';
import { writeFigure, type WrittenFigure } from '../../report/figures/write-figure.js';
import { calibrationTable } from '../../stats/calibration.js';
import { precisionRecallCurve } from '../../stats/precision-recall.js';
import { rocCurve } from '../../stats/roc.js';
import { fmt } from '../../report/table.js';
import type { BinaryMetrics } from './metrics.js';

/** The three figures as SVG text; with `raw` (probabilities before calibration) the reliability plot shows both. */
export function evaluationSvgs(y: ArrayLike<number>, p: ArrayLike<number>, m: BinaryMetrics, raw?: ArrayLike<number>): Record<'roc' | 'pr' | 'calibration', string> {
  const roc = rocCurve(y, p);
  const pr = precisionRecallCurve(y, p);
  const cal = calibrationTable(y, p, 10).bins.filter((b) => b.count > 0);
  const before = raw === undefined ? null : calibrationTable(y, raw, 10);
  const beforeBins = before?.bins.filter((b) => b.count > 0) ?? [];
  const prevalence = m.positives / m.n;
  const unit: [number, number] = [0, 1];
  return {
    roc: lineChart([
      { name: `ROC (AUC ${fmt(m.rocAuc)})`, x: roc.fpr, y: roc.tpr },
      { name: 'chance', x: [0, 1], y: [0, 1], dashed: true },
    ], { title: 'ROC curve', xLabel: 'false positive rate', yLabel: 'true positive rate', xDomain: unit, yDomain: unit }),
    pr: lineChart([
      { name: `PR (AP ${fmt(m.prAuc)})`, x: pr.recall, y: pr.precision },
      { name: 'prevalence', x: [0, 1], y: [prevalence, prevalence], dashed: true },
    ], { title: 'Precision–recall curve', xLabel: 'recall', yLabel: 'precision', xDomain: unit, yDomain: unit }),
    calibration: lineChart([
      ...(before === null ? [] : [{ name: `before calibration (ECE ${fmt(before.ece)})`, x: beforeBins.map((b) => b.meanPredicted), y: beforeBins.map((b) => b.fractionPositive), dashed: true }]),
      { name: `${before === null ? 'model' : 'calibrated'} (ECE ${fmt(m.calibration.ece)})`, x: cal.map((b) => b.meanPredicted), y: cal.map((b) => b.fractionPositive) },
      { name: 'perfect', x: [0, 1], y: [0, 1], dashed: true },
    ], { title: 'Calibration (10 bins)', xLabel: 'mean predicted probability', yLabel: 'observed share positive', xDomain: unit, yDomain: unit, points: true }),
  };
}

/**
 * Write roc, pr and calibration figures into `dir`; returns the paths written.
 * @example await writeEvaluationFigures('plots', y, p, metrics); // ['plots/roc.svg', 'plots/roc.png', …]
 */
export async function writeEvaluationFigures(dir: string, y: ArrayLike<number>, p: ArrayLike<number>, m: BinaryMetrics, raw?: ArrayLike<number>): Promise<string[]> {
  const out: WrittenFigure[] = [];
  for (const [name, svg] of Object.entries(evaluationSvgs(y, p, m, raw))) out.push(await writeFigure(dir, name, svg));
  return out.flatMap((f) => (f.png ? [f.svg, f.png] : [f.svg]));
}
