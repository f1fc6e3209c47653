/**
 * Evaluation figures (SVG, and PNG when the rasteriser is installed) through src/report/figures:
 * ROC curve with the chance diagonal and the AUC's DeLong 95% CI, precision–recall curve with the prevalence
 * baseline, and the calibration (reliability) plot against the diagonal, each bin's observed share with its
 * Wilson 95% interval (a bin of 12 sessions says much less than one of 1,200).
 */
import { lineChart } from '../../report/figures/charts.js';
import { writeFigure, type WrittenFigure } from '../../report/figures/write-figure.js';
import { calibrationTable, type CalibrationBin } from '../../stats/calibration.js';
import { precisionRecallCurve } from '../../stats/precision-recall.js';
import { rocCurve } from '../../stats/roc.js';
import { wilsonInterval } from '../../stats/wilson.js';
import { fmt } from '../../report/table.js';
import type { BinaryMetrics } from './metrics.js';

/** Wilson 95% interval of each bin's observed share positive (its positives are share × count, an integer). */
function binIntervals(bins: CalibrationBin[]): { lo: number[]; hi: number[] } {
  const ci = bins.map((b) => wilsonInterval(Math.round(b.fractionPositive * b.count), b.count, 0.95));
  return { lo: ci.map((c) => c.lower), hi: ci.map((c) => c.upper) };
}

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
      { name: `ROC (AUC ${fmt(m.rocAuc)}, 95% CI ${fmt(m.rocAucCi.lower)}–${fmt(m.rocAucCi.upper)}, ${m.rocAucCi.method})`, x: roc.fpr, y: roc.tpr },
      { name: 'chance', x: [0, 1], y: [0, 1], dashed: true },
    ], { title: 'ROC curve', xLabel: 'false positive rate', yLabel: 'true positive rate', xDomain: unit, yDomain: unit }),
    pr: lineChart([
      { name: `PR (AP ${fmt(m.prAuc)})`, x: pr.recall, y: pr.precision },
      { name: 'prevalence', x: [0, 1], y: [prevalence, prevalence], dashed: true },
    ], { title: 'Precision–recall curve', xLabel: 'recall', yLabel: 'precision', xDomain: unit, yDomain: unit }),
    calibration: lineChart([
      ...(before === null ? [] : [{ name: `before calibration (ECE ${fmt(before.ece)})`, x: beforeBins.map((b) => b.meanPredicted), y: beforeBins.map((b) => b.fractionPositive) }]), // solid: dashed series are references, left out of the legend
      {
        name: `${before === null ? 'model' : 'calibrated'} (ECE ${fmt(m.calibration.ece)}; bars: Wilson 95%)`, x: cal.map((b) => b.meanPredicted), y: cal.map((b) => b.fractionPositive),
        ...binIntervals(cal),
      },
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
