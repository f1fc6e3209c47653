/**
 * The service's parts wired together from a config and loaded models: Redis link, session repository,
 * scorers, decision log, LinUCB state shared through Redis, pricer, feedback queue, metrics. No HTTP
 * here, so the same parts can be driven directly (the bandit test does).
 */
import { UsageError } from '../errors.js';
import { createRng } from '../stats/rng.js';
import { DecisionLog, type Decision } from './decisions.js';
import { LinUcbState } from './linucb-state.js';
import { SharedBandit } from './linucb-shared.js';
import { Metrics } from './metrics.js';
import type { ServeConfig } from './options.js';
import { createPricer, type Pricer } from './pricer.js';
import { CONTEXT_DIMENSION } from './pricing-context.js';
import { connectRedis, noRedis, type RedisLink } from './redis-link.js';
import type { RulesModel } from './rules.js';
import type { Scorers } from './scoring.js';
import { SessionRepository } from './session-repository.js';
import { WorkQueue } from './work-queue.js';

export interface FeedbackItem {
  decision: Decision;
  reward: number;
}

export interface ServeParts {
  config: ServeConfig;
  now: () => number;
  log: (message: string) => void;
  metrics: Metrics;
  link: RedisLink;
  sessions: SessionRepository;
  scorers: Scorers;
  rules: RulesModel | null;
  decisions: DecisionLog;
  bandit: LinUcbState | null;
  shared: SharedBandit | null;
  pricer: Pricer;
  feedback: WorkQueue<FeedbackItem>;
}

export interface Loaded {
  scorers: Scorers;
  rules: RulesModel | null;
}

/**
 * Build the parts (connecting to Redis in the background when configured).
 * @example const parts = createParts(resolveServeConfig({ policy: 'linucb' }), { scorers, rules: null })
 */
export function createParts(config: ServeConfig, loaded: Loaded, opts: { now?: () => number; log?: (m: string) => void } = {}): ServeParts {
  if (config.policy === 'rules' && loaded.rules === null) throw new UsageError('--policy rules needs --rules rules.json (from phantom distill)');
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const metrics = new Metrics();
  const link = config.redisUrl === null ? noRedis(config.redisPrefix) : connectRedis(config.redisUrl, config.redisPrefix, { timeoutMs: config.redisTimeoutMs, slowMs: config.redisSlowMs, probeMs: config.redisProbeMs, budgetMs: config.redisBudgetMs }, log);
  const sessions = new SessionRepository(link, config, metrics, now);
  const decisions = new DecisionLog(link, config.maxDecisions, config.decisionTtlMs, now);
  const bandit = config.policy === 'linucb' ? new LinUcbState({ arms: config.arms, dimension: CONTEXT_DIMENSION, alpha: config.ucbAlpha, ridge: config.ucbRidge }) : null;
  const shared = bandit !== null && link.client !== null ? new SharedBandit(bandit, link) : null;
  const pricer = createPricer({ ...config, bandit, decisions, rng: createRng(config.seed), now });
  const feedback = new WorkQueue<FeedbackItem>((item) => {
    bandit!.update(item.decision.arm, Float64Array.from(item.decision.x), item.reward);
    metrics.inc('phantom_feedback_applied_total', 'Bandit updates applied.');
    void shared?.sync();
  }, config.maxQueue, 256, (err) => log(`feedback: ${(err as Error).message}`));

  metrics.gauge('phantom_sessions', 'Sessions held in local memory.', () => sessions.store.size);
  metrics.gauge('phantom_feedback_queue_depth', 'Feedback items waiting to be applied.', () => feedback.depth);
  metrics.gauge('phantom_redis_up', '1 when the shared Redis state is reachable (0 down, -1 not configured).', () => ({ up: 1, down: 0, slow: 0, off: -1 })[link.state()]);
  metrics.gauge('phantom_bandit_unshared_updates', 'Bandit updates not yet added to the shared Redis state.', () => bandit?.unsharedCount() ?? 0);
  metrics.gauge('phantom_redis_ping_seconds', 'Round trip of the last answered Redis PING (-1 before the first or without Redis).', () => (link.latencyMs() ?? -1000) / 1000);
  metrics.gauge('phantom_bandit_writes_repeated', 'Pushes of bandit updates retried after Redis had applied them (the retry added nothing).', () => shared?.duplicateWrites ?? 0);
  metrics.gauge('phantom_decisions', 'Price decisions held for feedback.', () => decisions.size);
  metrics.gauge('process_resident_memory_bytes', 'Resident set size.', () => process.memoryUsage.rss());
  return { config, now, log, metrics, link, sessions, scorers: loaded.scorers, rules: loaded.rules, decisions, bandit, shared, pricer, feedback };
}
