/** Public API of phantom's transition kernels: fit, compare, score, store. */
export { STATE_MODES, START, END, encodeStates, sortedVocabulary, type StateMode, type StateEncoding } from './states.js';
export { indexSessions, sessionLabels, type SessionIndex, type SessionLabels } from '../events/session-index.js';
export { POOLINGS, sessionTransitions, pairWeights, type Pooling, type SessionTransitions } from './session-transitions.js';
export { zeroCounts, addSessions, mergeCounts, subtractCounts, rowSums, alignCounts, type CountMatrix } from './count-matrix.js';
export { CLASSES, fitClass, kernelRow, kernelMatrix, visits, smoothingFor, smoothedSupport, type ClassFit, type ClassName, type Smoothing } from './kernel.js';
export { WEIGHTINGS, kernelDivergence, type Weighting, type KernelDivergence, type KernelSide } from './kernel-divergence.js';
export { splitHalfNull, compareToNull, type NullDistribution, type NullComparison } from './split-half-null.js';
export { gapScores, sigmoid, UNSCORED, type GapScores, type GapOptions } from './gap-scores.js';
export { prepareSessions, membersOf, type PreparedSessions } from './prepare.js';
export { fitKernels, fitClasses, compareClasses, KERNEL_DEFAULTS, type KernelParams, type KernelsModel, type KernelsReport } from './fit-kernels.js';
export { kernelsToJson, parseKernels, readKernelsFile, mergeKernels, alignModel, KERNELS_FORMAT } from './kernels-file.js';
export { separability, type SeparabilityOptions, type SeparabilityResult } from './separability.js';
export { MAX_ORDER, orderTransitions, historyLabels, type OrderTransitions } from './order-transitions.js';
export { selectOrders, type OrderFit, type OrderSelection, type OrderSelectionOptions } from './order-selection.js';
export { absorbingAnalysis, isPurchaseState, PURCHASE_EVENT, type AbsorbingAnalysis } from './absorbing.js';
export { evaluateNextClick, type NextClickEvaluation, type NextClickScore, type NextClickOptions } from './next-click.js';
