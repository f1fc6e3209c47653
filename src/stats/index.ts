/** Public API of phantom's statistics library. */
export { argsort } from './argsort.js';
export { rankdata, rankWithTies, type Ranking } from './rankdata.js';
export { erf, erfc, normalCdf, normalSf, normalPdf } from './normal.js';
export { normalQuantile, normalIsf } from './normal-quantile.js';
export { mannWhitneyU } from './mann-whitney.js';
export { mannWhitneyExactCdf, mannWhitneyExactPmf } from './mann-whitney-exact.js';
export { permutationPValue, type PermutationOutcome } from './mann-whitney-permutation.js';
export {
  ALTERNATIVES, DEFAULT_PERMUTATIONS, MANN_WHITNEY_METHODS,
  type Alternative, type MannWhitneyMethod, type MannWhitneyOptions, type MannWhitneyResult, type MannWhitneyEffect,
} from './mann-whitney-types.js';
export { hodgesLehmann } from './hodges-lehmann.js';
export { mean, variance, std, median, quantile, quantileSorted, iqr, describe, sortedValues, type Description } from './descriptive.js';
export { binaryCurve, rocAuc, rocCurve, type BinaryCurve, type RocCurve } from './roc.js';
export { precisionRecallCurve, averagePrecision, type PrecisionRecallCurve } from './precision-recall.js';
export { delongAucCi, type AucInterval } from './delong.js';
export { brierScore, calibrationTable, type CalibrationBin, type CalibrationTable } from './calibration.js';
export { wilsonInterval, type ProportionInterval } from './wilson.js';
export { confusionAt, youdenThreshold, f1Threshold, precisionAtRecall, type Confusion } from './thresholds.js';
export { entropy, klDivergence, jsDivergence } from './divergence.js';
export { createRng, type Rng } from './rng.js';
export { chiSquareSf, gammaQ, logGamma } from './chi-square.js';
