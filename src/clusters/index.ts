/** Public API of phantom's unsupervised session clustering (mixtures of Markov chains, with timing). */
export { fitMarkovMixture, MIXTURE_DEFAULTS, type MarkovMixture, type MixtureFit, type MixtureOptions } from './markov-mixture.js';
export { adjustedRandIndex } from './adjusted-rand.js';
export { clusterSessions, DEFAULT_TIMING, type ClusterSummary, type SessionClusters } from './cluster-sessions.js';
export { sessionLogGaps, TIMING_MODES, type SessionGaps, type TimingMode } from './gap-emission.js';
