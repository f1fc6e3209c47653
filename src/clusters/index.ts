/** Public API of phantom's unsupervised session clustering (mixtures of Markov chains). */
export { fitMarkovMixture, MIXTURE_DEFAULTS, type MarkovMixture, type MixtureFit, type MixtureOptions } from './markov-mixture.js';
export { adjustedRandIndex } from './adjusted-rand.js';
export { clusterSessions, type ClusterSummary, type SessionClusters } from './cluster-sessions.js';
