/**
 * `phantom serve` settings (docs/serve.md) with one DEFAULTS object, and the duration parser for
 * `--session-ttl 30m`. Everything the server does is decided by a resolved ServeConfig.
 */
import { UsageError } from '../errors.js';
import { DEFAULT_FEATURE_OPTIONS } from '../features/compute.js';
import { BOUNDS_DEFAULTS } from '../sim/catalog.js';
import { POLICY_DEFAULTS } from '../sim/policies/policy-params.js';

export const PRICING_POLICIES = ['static', 'rules', 'linucb'] as const;
export type PricingPolicyName = (typeof PRICING_POLICIES)[number];

export interface ServeConfig {
  host: string;
  port: number;
  /** bearer token every endpoint but /healthz requires; null = no auth */
  token: string | null;
  /** request bodies above this many bytes get 413 */
  bodyLimitBytes: number;
  /** sessions idle this long are dropped (locally and, with Redis, their key expires) */
  sessionTtlMs: number;
  /** least-recently-used sessions past this count are evicted */
  maxSessions: number;
  /** events kept per session; more are rejected with reason `session_full` */
  maxEventsPerSession: number;
  /** events accepted in one POST /v1/events */
  maxBatchEvents: number;
  policy: PricingPolicyName;
  /** `static`: markup posted for every request */
  staticMarkup: number;
  /** price = basePrice · clamp(markup, floor, cap) (the simulator's bounds) */
  floor: number;
  cap: number;
  /** LinUCB arms (markups), exploration α and ridge λ (defaults: the simulator's) */
  arms: number[];
  ucbAlpha: number;
  ucbRidge: number;
  /** f = σ(gap / T) for the kernel score */
  temperature: number;
  /** inactivity timeout T of the features, seconds (as `phantom features --timeout-sec`) */
  featureTimeoutSec: number;
  redisUrl: string | null;
  /** namespace of every Redis key, so several deployments can share one server */
  redisPrefix: string;
  /** how often bandit parameters are pulled from Redis */
  syncIntervalMs: number;
  /** Redis command timeout of background work (sync, replay) */
  redisTimeoutMs: number;
  /** a PING slower than this turns the link slow: /healthz degraded, local state only */
  redisSlowMs: number;
  /** how often that PING is sent */
  redisProbeMs: number;
  /** longest a request waits on Redis before answering from local state */
  redisBudgetMs: number;
  /** bytes of session data kept in memory; least-recently-used sessions past it are evicted */
  maxSessionBytes: number;
  /** events of one POST /v1/events handled before yielding to other requests */
  batchSliceEvents: number;
  /** deepest nesting of arrays/objects accepted in a request body (400 too_deep past it) */
  maxJsonDepth: number;
  /** decisions are kept this long for feedback */
  decisionTtlMs: number;
  maxDecisions: number;
  /** feedback items waiting to be applied; past it POST /v1/feedback answers 503 */
  maxQueue: number;
  /** SIGTERM: time allowed for in-flight requests and the feedback queue */
  drainTimeoutMs: number;
  seed: number;
}

export const SERVE_DEFAULTS: Readonly<Omit<ServeConfig, 'arms'>> & { arms: readonly number[] } = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  token: null,
  bodyLimitBytes: 1024 * 1024,
  sessionTtlMs: 30 * 60_000,
  maxSessions: 100_000,
  maxEventsPerSession: 10_000,
  maxBatchEvents: 10_000,
  policy: 'static' as PricingPolicyName,
  staticMarkup: 1,
  floor: BOUNDS_DEFAULTS.floor,
  cap: BOUNDS_DEFAULTS.cap,
  arms: POLICY_DEFAULTS.ucbArms,
  ucbAlpha: POLICY_DEFAULTS.ucbAlpha,
  ucbRidge: POLICY_DEFAULTS.ucbRidge,
  temperature: 1,
  featureTimeoutSec: DEFAULT_FEATURE_OPTIONS.timeoutSec,
  redisUrl: null,
  redisPrefix: 'phantom:',
  syncIntervalMs: 200,
  redisTimeoutMs: 100,
  redisSlowMs: 50,
  redisProbeMs: 50,
  redisBudgetMs: 10,
  maxSessionBytes: 256 * 1024 * 1024,
  batchSliceEvents: 64,
  maxJsonDepth: 32,
  decisionTtlMs: 60 * 60_000,
  maxDecisions: 100_000,
  maxQueue: 100_000,
  drainTimeoutMs: 10_000,
  seed: 42,
});

/** Defaults overridden by `partial`. @example resolveServeConfig({ port: 0, policy: 'linucb' }) */
export function resolveServeConfig(partial: Partial<ServeConfig> = {}): ServeConfig {
  const c: ServeConfig = { ...SERVE_DEFAULTS, ...partial, arms: [...(partial.arms ?? SERVE_DEFAULTS.arms)] };
  const problems: string[] = [];
  if (c.arms.length === 0 || c.arms.some((a) => !(a > 0))) problems.push('arms must be positive markups');
  if (!(c.floor > 0 && c.floor <= c.cap)) problems.push(`floor ${c.floor} and cap ${c.cap} must satisfy 0 < floor <= cap`);
  if (!(c.temperature > 0)) problems.push('temperature must be > 0');
  if (!(c.ucbRidge > 0)) problems.push('ridge λ must be > 0');
  if (c.maxSessions < 1 || c.maxEventsPerSession < 1 || !(c.maxSessionBytes >= 1)) problems.push('session limits must be >= 1');
  if (problems.length > 0) throw new UsageError(`serve: ${problems.join('; ')}`);
  return c;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as the flags write it: the largest unit that divides it (the inverse of parseDuration).
 * @example durationText(1_800_000) // '30m'
 */
export function durationText(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${ms}ms`;
}

/**
 * Parse a duration: a number with a unit ms, s, m, h or d (a bare number is seconds).
 * @example parseDuration('30m', '--session-ttl') // 1_800_000
 */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (m === null) throw new UsageError(`${flag} takes a duration such as 500ms, 90s, 30m or 2h, got "${text}"`);
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
  if (!(ms > 0)) throw new UsageError(`${flag} must be positive, got "${text}"`);
  return ms;
}
