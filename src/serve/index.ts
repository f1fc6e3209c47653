/**
 * `phantom serve` as a library: build the parts from a config and loaded models, wrap them in the HTTP
 * app, listen. A service can also drive the parts directly (score a session, price, apply feedback).
 *
 * @example
 *   const loaded = await loadModels({ model: 'model.json', kernels: null, rules: null, temperature: 1 });
 *   const app = createApp(createParts(resolveServeConfig({ port: 0 }), loaded));
 *   const { port } = await app.listen(); … await app.shutdown();
 */
export { createApp, type ServeApp } from './app.js';
export { createParts, type ServeParts, type Loaded, type FeedbackItem } from './parts.js';
export { loadModels, settingsFromMeta, DEFAULT_FEATURE_SETTINGS, type LoadOptions } from './load-models.js';
export { resolveServeConfig, parseDuration, SERVE_DEFAULTS, PRICING_POLICIES, type ServeConfig, type PricingPolicyName } from './options.js';
export { LinUcbState, invertSpd, zeroSums, type LinUcbParams, type LinUcbSums } from './linucb-state.js';
export { SharedBandit } from './linucb-shared.js';
export { pricingContext, CONTEXT_DIMENSION } from './pricing-context.js';
export { scoreSession, sessionSignals, scoreJson, type SessionScore, type SessionSignals, type Scorers } from './scoring.js';
export { SessionBuffer, toStoredRow, type StoredRow } from './session-buffer.js';
export { liveSessionFeatures, featuresJson, sessionDataTable, type FeatureSettings } from './session-features.js';
export { kernelScorer, type KernelScore, type KernelScorer } from './kernel-score.js';
export { LruTtlMap } from './lru-ttl.js';
export { Metrics, LATENCY_BUCKETS } from './metrics.js';
export { WorkQueue } from './work-queue.js';
