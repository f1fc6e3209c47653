/**
 * Quality gates (docs/pipeline.md): the checks that make the pipeline a CI step. Each gate that is set yields a
 * result with its threshold, the observed value and a reason a reader can act on when it fails.
 */
import type { PipelineConfig } from './config-schema.js';
import { pValueInMessage } from '../report/headline-numbers.js';

export type GateName = 'fail-if-p-above' | 'fail-under-auc' | 'fail-if-leakage';

export interface GateResult {
  gate: GateName;
  threshold: number | boolean;
  /** the p-value, the ROC-AUC (null without an evaluation), or the flagged features */
  observed: number | string[] | null;
  passed: boolean;
  /** why it failed; null when it passed */
  reason: string | null;
}

export interface GateInputs {
  pValue: number;
  rocAuc: number | null;
  leakageFlagged: string[];
  leakageThreshold: number;
}

/**
 * Evaluate the configured gates (unset gates are left out).
 * @example evaluateGates({ failIfPAbove: 0.05, failUnderAuc: null, failIfLeakage: false }, { pValue: 0.2, … })[0].passed; // false
 */
export function evaluateGates(g: PipelineConfig['gates'], v: GateInputs): GateResult[] {
  const out: GateResult[] = [];
  if (g.failIfPAbove !== null) {
    const passed = v.pValue <= g.failIfPAbove;
    out.push({
      gate: 'fail-if-p-above', threshold: g.failIfPAbove, observed: v.pValue, passed,
      reason: passed ? null : `separability p = ${pValueInMessage(v.pValue)} is above --fail-if-p-above ${g.failIfPAbove}: human and agent gap scores are not separable enough`,
    });
  }
  if (g.failUnderAuc !== null) {
    const passed = v.rocAuc !== null && v.rocAuc >= g.failUnderAuc;
    out.push({
      gate: 'fail-under-auc', threshold: g.failUnderAuc, observed: v.rocAuc, passed,
      reason: passed ? null : v.rocAuc === null ? '--fail-under-auc: the classifier was not evaluated' : `classifier ROC-AUC ${v.rocAuc.toFixed(4)} is below --fail-under-auc ${g.failUnderAuc}`,
    });
  }
  if (g.failIfLeakage) {
    const passed = v.leakageFlagged.length === 0;
    out.push({
      gate: 'fail-if-leakage', threshold: true, observed: v.leakageFlagged, passed,
      reason: passed ? null : `--fail-if-leakage: ${v.leakageFlagged.join(', ')} alone separate${v.leakageFlagged.length === 1 ? 's' : ''} the classes (single-feature separation >= ${v.leakageThreshold}); exclude ${v.leakageFlagged.length === 1 ? 'it' : 'them'} with classifier.exclude or fix how the data was collected`,
    });
  }
  return out;
}
