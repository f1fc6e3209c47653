/**
 * `phantom serve`: online agent scoring and pricing over HTTP (docs/serve.md). Parses flags, loads the
 * models, starts the server, and shuts it down gracefully on SIGTERM/SIGINT.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { FEATURE_SETS, type FeatureSetName } from '../features/registry.js';
import { createApp } from '../serve/app.js';
import { loadModels } from '../serve/load-models.js';
import { durationText, parseDuration, PRICING_POLICIES, resolveServeConfig, SERVE_DEFAULTS, type PricingPolicyName, type ServeConfig } from '../serve/options.js';
import type { LoadOptions } from '../serve/load-models.js';
import { createParts } from '../serve/parts.js';
import { resolveRedisUrl, safeUrl } from '../serve/redis-link.js';
import { action, choiceOption, info, intOption, numberOption, printJson, warn, withGlobalOptions, type GlobalOptions } from './runtime.js';
import { checkInputs, checkRedisUrl, KERNELS_INPUT, MODEL_INPUT, RULES_INPUT } from './input-checks.js';
import { parseArgv } from './parse-argv.js';

interface ServeFlags extends GlobalOptions {
  model?: string;
  kernels?: string;
  rules?: string;
  policy: PricingPolicyName;
  host: string;
  port: number;
  redis?: string;
  redisPrefix: string;
  tokenEnv?: string;
  sessionTtl: string;
  maxSessions: number;
  maxSessionEvents: number;
  maxSessionBytes: number;
  bodyLimit: number;
  staticMarkup: number;
  arms?: string;
  ucbAlpha: number;
  temperature: number;
  featureSet?: FeatureSetName;
  timeoutSec?: number;
  seed: number;
  drainTimeout: string;
  syncInterval: string;
  redisBudget: string;
  redisSlow: string;
  maxDecisions: number;
  decisionTtl: string;
}

/** What one `phantom serve …` asks for: the server's options, the models to load, and what is read from the environment at start. */
export interface ServeArgs {
  /** the server's options, token and Redis URL still null: they come from the environment at start */
  config: ServeConfig;
  models: LoadOptions;
  /** the environment variable holding the bearer token (--token-env), read at start */
  tokenEnv: string | null;
  /** --redis as given: a redis:// URL or the name of an environment variable holding one, resolved at start */
  redis: string | null;
  json: boolean;
  quiet: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function parseArms(text: string): number[] {
  const arms = text.split(',').map((s) => Number(s.trim()));
  if (arms.length === 0 || arms.some((a) => !(a > 0))) throw new UsageError(`--arms takes positive markups separated by commas, got "${text}"`);
  return arms;
}

/** The flags of `serve`, defaults from SERVE_DEFAULTS. */
export function declareServe(cmd: Command): Command {
  return withGlobalOptions(cmd)
    .option('--model <model.json>', 'classifier (XGBoost JSON) for the agent probability')
    .option('--kernels <kernels.json>', 'transition kernels for the gap score and f = σ(gap/T)')
    .option('--rules <rules.json>', 'distilled pricing rules (for --policy rules)')
    .option('--policy <name>', `pricing policy: ${PRICING_POLICIES.join(', ')}`, choiceOption('--policy', PRICING_POLICIES), SERVE_DEFAULTS.policy)
    .option('--host <addr>', 'address to bind (loopback unless told otherwise)', SERVE_DEFAULTS.host)
    .option('--port <n>', 'port (0 = any free port)', intOption('--port', 0, 65535), SERVE_DEFAULTS.port)
    .option('--redis <url|VAR>', 'share bandit parameters and session state through Redis: redis://host:port, or the name of an environment variable holding the URL (keeps a password off the command line)')
    .option('--redis-prefix <prefix>', 'namespace of the Redis keys', SERVE_DEFAULTS.redisPrefix)
    .option('--sync-interval <duration>', 'how often bandit parameters are pulled from Redis', durationText(SERVE_DEFAULTS.syncIntervalMs))
    .option('--redis-budget <duration>', 'longest a request waits on Redis before answering from local state', durationText(SERVE_DEFAULTS.redisBudgetMs))
    .option('--redis-slow <duration>', 'a health PING unanswered this long marks Redis slow: local state only until one answers in time', durationText(SERVE_DEFAULTS.redisSlowMs))
    .option('--token-env <VAR>', 'require Authorization: Bearer <$VAR> on every endpoint but /healthz')
    .option('--session-ttl <duration>', 'drop sessions idle this long (e.g. 30m)', durationText(SERVE_DEFAULTS.sessionTtlMs))
    .option('--max-sessions <n>', 'evict least-recently-used sessions past this many', intOption('--max-sessions', 1), SERVE_DEFAULTS.maxSessions)
    .option('--max-session-bytes <n>', 'evict least-recently-used sessions past this many bytes of session data', intOption('--max-session-bytes', 1), SERVE_DEFAULTS.maxSessionBytes)
    .option('--max-session-events <n>', 'events kept per session', intOption('--max-session-events', 1), SERVE_DEFAULTS.maxEventsPerSession)
    .option('--max-decisions <n>', 'LinUCB decisions kept per replica for their feedback (with Redis, also shared there)', intOption('--max-decisions', 1), SERVE_DEFAULTS.maxDecisions)
    .option('--decision-ttl <duration>', 'how long a decision waits for its feedback', durationText(SERVE_DEFAULTS.decisionTtlMs))
    .option('--body-limit <bytes>', 'largest request body (413 above)', intOption('--body-limit', 1024), SERVE_DEFAULTS.bodyLimitBytes)
    .option('--static-markup <m>', 'markup of the static policy', numberOption('--static-markup', 0), SERVE_DEFAULTS.staticMarkup)
    .option('--arms <m,…>', `LinUCB markup arms (default ${SERVE_DEFAULTS.arms.join(',')})`)
    .option('--ucb-alpha <a>', 'LinUCB exploration α', numberOption('--ucb-alpha', 0), SERVE_DEFAULTS.ucbAlpha)
    .option('--temperature <T>', 'f = σ(gap / T) for the kernel score', numberOption('--temperature', 0), SERVE_DEFAULTS.temperature)
    .option('--feature-set <set>', `override the model's feature set: ${FEATURE_SETS.join(', ')}`, choiceOption('--feature-set', FEATURE_SETS))
    .option('--timeout-sec <s>', "override the model's inactivity timeout T", numberOption('--timeout-sec', 0))
    .option('-s, --seed <n>', 'seed of the bandit tie-breaks', intOption('--seed'), SERVE_DEFAULTS.seed)
    .option('--drain-timeout <duration>', 'on SIGTERM, wait this long for in-flight requests and feedback', durationText(SERVE_DEFAULTS.drainTimeoutMs))
    .addHelpText('after', `
Endpoints: POST /v1/events, GET /v1/sessions/{id}/score, POST /v1/price, POST /v1/feedback, GET /healthz, GET /metrics

Examples:
  $ phantom serve --model model.json --kernels kernels.json
  $ PHANTOM_TOKEN=s3cret phantom serve --model model.json --policy linucb --token-env PHANTOM_TOKEN --redis redis://127.0.0.1:6379
  $ REDIS_URL=redis://:pw@127.0.0.1:6379 phantom serve --policy linucb --redis REDIS_URL
  $ phantom serve --model model.json --rules rules.json --policy rules --host 0.0.0.0 --token-env PHANTOM_TOKEN   # PHANTOM_TOKEN exported beforehand (exit 2 when unset)`);
}

/** Parsed flags → the server's options (validated by resolveServeConfig) and the models to load; reads no environment. */
export function serveArgs(cmd: Command): ServeArgs {
  const flags = cmd.opts<ServeFlags>();
  if (flags.policy === 'rules' && flags.rules === undefined) throw new UsageError('--policy rules needs --rules rules.json (from phantom distill)');
  const config = resolveServeConfig({
    host: flags.host, port: flags.port, token: null, policy: flags.policy, redisUrl: null, redisPrefix: flags.redisPrefix,
    sessionTtlMs: parseDuration(flags.sessionTtl, '--session-ttl'), maxSessions: flags.maxSessions, maxEventsPerSession: flags.maxSessionEvents, maxSessionBytes: flags.maxSessionBytes,
    bodyLimitBytes: flags.bodyLimit, staticMarkup: flags.staticMarkup, ucbAlpha: flags.ucbAlpha, temperature: flags.temperature,
    seed: flags.seed, drainTimeoutMs: parseDuration(flags.drainTimeout, '--drain-timeout'), syncIntervalMs: parseDuration(flags.syncInterval, '--sync-interval'),
    redisBudgetMs: parseDuration(flags.redisBudget, '--redis-budget'), redisSlowMs: parseDuration(flags.redisSlow, '--redis-slow'),
    maxDecisions: flags.maxDecisions, decisionTtlMs: parseDuration(flags.decisionTtl, '--decision-ttl'),
    ...(flags.arms === undefined ? {} : { arms: parseArms(flags.arms) }),
  });
  const models: LoadOptions = {
    model: flags.model ?? null, kernels: flags.kernels ?? null, rules: flags.rules ?? null, temperature: flags.temperature,
    ...(flags.featureSet === undefined ? {} : { featureSet: flags.featureSet }), ...(flags.timeoutSec === undefined ? {} : { timeoutSec: flags.timeoutSec }),
  };
  return { config, models, tokenEnv: flags.tokenEnv ?? null, redis: flags.redis ?? null, json: flags.json === true, quiet: flags.quiet === true };
}

/** `phantom serve` argv (after the command name) → its options, without starting it. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  return parseArgv('serve', declareServe, serveArgs, argv);
}

export function define(cmd: Command): void {
  declareServe(cmd)
    .action(
      action('serve', async () => {
        const a = serveArgs(cmd);
        const flags = { ...a, ...a.models, host: a.config.host, port: a.config.port, tokenEnv: a.tokenEnv ?? undefined };
        if (a.redis !== null) checkRedisUrl(resolveRedisUrl(a.redis));
        await checkInputs([flags.model], MODEL_INPUT, '--model must be');
        await checkInputs([flags.kernels], KERNELS_INPUT, '--kernels must be');
        await checkInputs([flags.rules], RULES_INPUT, '--rules must be');
        let token: string | null = null;
        if (flags.tokenEnv !== undefined) {
          token = process.env[flags.tokenEnv] ?? '';
          if (token.trim() === '') throw new UsageError(`--token-env ${flags.tokenEnv}: that environment variable is not set or is empty`);
        } else if (!LOOPBACK.has(flags.host)) warn(`binding ${flags.host} without --token-env: anyone who can reach this port can post events and read scores`);
        const config: ServeConfig = { ...a.config, token, redisUrl: a.redis === null ? null : resolveRedisUrl(a.redis) };
        const loaded = await loadModels(a.models);
        if (loaded.scorers.classifier === null && loaded.scorers.kernels === null) warn('no --model or --kernels: scores carry features only, agentProbability is null');
        const app = createApp(createParts(config, loaded, { log: (m) => info(flags, m) }));
        const addr = await app.listen().catch(async (err: NodeJS.ErrnoException) => {
          await app.shutdown().catch(() => undefined);
          if (err.code === 'EADDRINUSE') throw new UsageError(`--port ${flags.port}: ${flags.host}:${flags.port} is already in use; pick another port (0 = any free port)`);
          if (err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') throw new UsageError(`--host ${flags.host} --port ${flags.port}: cannot listen there (${err.code})`);
          throw err;
        });
        const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
        if (flags.json) printJson({ listening: url, host: addr.address, port: addr.port, policy: config.policy, redis: config.redisUrl === null ? null : safeUrl(config.redisUrl) });
        // the URL goes last and unbracketed: masking runs to the end of a secret, which may hold any character
        info(flags, `phantom serve: listening on ${url}; policy ${config.policy}${token === null ? '' : '; bearer token required'}${config.redisUrl === null ? '' : `; redis ${safeUrl(config.redisUrl)}`}`);
        await new Promise<void>((resolve) => {
          const stop = (signal: string): void => {
            info(flags, `phantom serve: ${signal}: draining`);
            app.shutdown().then(() => {
              info(flags, 'phantom serve: stopped');
              resolve();
            }, (err: Error) => {
              warn(`shutdown: ${err.message}`);
              resolve();
            });
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
      }),
    );
}
