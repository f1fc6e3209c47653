/**
 * The schema of phantom.config.json (docs/pipeline.md): where the events come from and every stage's parameters,
 * each with the default the stand-alone command uses, so `phantom pipeline` and the commands run one by
 * one give the same numbers. Unknown keys are errors (a typo must not silently fall back to a default).
 */
import { z } from 'zod';
import { parseTiers } from '../distill/tiers.js';
import { parseIsoMs } from '../io/timestamp.js';
import { COMPRESSIONS } from '../io/parquet.js';
import { FEATURE_SETS } from '../features/registry.js';
import { POOLINGS } from '../kernels/session-transitions.js';
import { STATE_MODES } from '../kernels/states.js';
import { WEIGHTINGS } from '../kernels/kernel-divergence.js';
import { ALTERNATIVES, MANN_WHITNEY_METHODS } from '../stats/mann-whitney-types.js';
import { DISTILL_DEFAULTS } from '../distill/distill.js';
import { HUMAN_SAFE_DEFAULTS } from '../distill/human-safe.js';
import { TEACHER_DEFAULTS } from '../distill/teacher.js';
import { EXPORT_DEFAULTS } from '../export/export-defaults.js';
import { FEATURES_DEFAULTS } from '../features/run-features.js';
import { KERNELS_DEFAULTS } from '../kernels/run-kernels.js';
import { SEPARABILITY_DEFAULTS } from '../kernels/run-separability.js';
import { TRAIN_CLASSIFIER_DEFAULTS } from '../models/classifier/run-train.js';

// Stage defaults are the stand-alone commands' (X_DEFAULTS beside each runX): one definition each.
const E = EXPORT_DEFAULTS, F = FEATURES_DEFAULTS, K = KERNELS_DEFAULTS, S = SEPARABILITY_DEFAULTS, C = TRAIN_CLASSIFIER_DEFAULTS, D = DISTILL_DEFAULTS, T = TEACHER_DEFAULTS;

/** z.enum over one of the project's readonly choice lists. */
function oneOf<T extends string>(choices: readonly T[]) {
  return z.enum(choices as unknown as [T, ...T[]]);
}

const iso = z.string().refine((s) => Number.isFinite(parseIsoMs(s)), { message: 'not an ISO-8601 time (e.g. 2025-01-01T00:00:00Z)' });
const seed = z.number().int().nullable().default(null);
const probability = z.number().min(0).max(1);
const window = { since: iso.nullable().default(null), until: iso.nullable().default(null), maxMessages: z.number().int().min(1).nullable().default(null) };

const fileSource = z.strictObject({
  from: z.literal('file'),
  /** JSON, JSON-lines, Kafka-console envelopes or CSV; globs allowed */
  inputs: z.array(z.string().min(1)).min(1),
  priceInputs: z.array(z.string().min(1)).default([]),
  /** drop identical events (same content, any provenance) */
  dedupe: z.boolean().default(false),
  ...window,
});

const kafkaSource = z.strictObject({
  from: z.literal('kafka'),
  brokers: z.union([z.string().min(1).transform((s) => s.split(',').map((b) => b.trim())), z.array(z.string().min(1)).min(1)]),
  topic: z.string().min(1).default(E.topic),
  priceTopic: z.string().min(1).nullable().default(null),
  sasl: z.strictObject({ mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), username: z.string().min(1), passwordEnv: z.string().min(1) }).nullable().default(null),
  ssl: z.union([z.boolean(), z.strictObject({ caFile: z.string().optional(), certFile: z.string().optional(), keyFile: z.string().optional() })]).default(false),
  ...window,
});

const supabaseSource = z.strictObject({
  from: z.literal('supabase'),
  /** a postgres:// URL, or the name of an environment variable holding it (preferred: no secret in the file) */
  databaseUrl: z.string().min(1).nullable().default(null),
  supabaseUrl: z.string().url().nullable().default(null),
  supabaseKeyEnv: z.string().min(1).nullable().default(null),
  table: z.string().min(1).default('events'),
  /** column names, e.g. sessionId=session_id,ts=created_at */
  columns: z.string().min(1).nullable().default(null),
  ...window,
});

/** Web-server access logs (docs/access-logs.md): the options of `phantom export --from access-log`. */
const accessLogSource = z.strictObject({
  from: z.literal('access-log'),
  /** log files, globs, .gz */
  inputs: z.array(z.string().min(1)).min(1),
  /** combined | common | vhost_combined | an Apache LogFormat | an nginx log_format string */
  logFormat: z.string().min(1).default(E.logFormat),
  /** the session field, e.g. %{PHPSESSID}C or $cookie_sid; null: the format's only cookie, else client address + user agent */
  sessionBy: z.string().min(1).nullable().default(null),
  inactivityMinutes: z.number().positive().default(30),
  /** environment variable holding the session-id key; null: a random key per run */
  sessionKeyEnv: z.string().min(1).nullable().default(null),
  timezone: z.string().min(1).default(E.timezone),
  eventRules: z.string().min(1).nullable().default(null),
  resourceRules: z.string().min(1).nullable().default(null),
  keepClientAddress: z.boolean().default(false),
  ...window,
});

export const sourceSchema = z.discriminatedUnion('from', [fileSource, kafkaSource, supabaseSource, accessLogSource]);

const tiers = z.string().refine((s) => { try { parseTiers(s); return true; } catch { return false; } }, { message: 'tiers take score:markup,… with increasing scores, e.g. 0.4:1.1,0.7:1.3' });

export const pipelineConfigSchema = z.strictObject({
  /** output folder for every artefact */
  out: z.string().min(1).default('phantom-out'),
  /** the seed of every stage that does not set its own */
  seed: z.number().int().default(42),
  /** events source (docs/export.md); omitted: the bundled fixtures */
  source: sourceSchema.optional(),
  labels: z.strictObject({
    /** "supabase", or an experiments export (.csv/.json): is_agent = NOT xp_human_only */
    experimentsFrom: z.string().min(1).nullable().default(null),
    experimentsTable: z.string().min(1).default('experiments'),
    /** label for every record the experiments join leaves unlabelled (datasets labelled by folder) */
    label: z.enum(['human', 'agent']).nullable().default(null),
    /** `--labels`: CSV or JSON lines naming sessions (sessionId, or client_address for access logs) and their class */
    sessions: z.string().min(1).nullable().default(null),
  }).optional(),
  export: z.strictObject({
    compression: oneOf(COMPRESSIONS).default(E.compression),
    rowGroupSize: z.number().int().min(1).default(E.rowGroupSize),
    /** exit 3 after the export when any record was dead-lettered (the good records are written) */
    strict: z.boolean().default(false),
  }).prefault({}),
  features: z.strictObject({
    featureSet: oneOf(FEATURE_SETS).default(F.featureSet),
    timeoutSec: z.number().positive().default(F.timeoutSec),
    fillMissing: z.number().nullable().default(F.fillMissing),
  }).prefault({}),
  kernels: z.strictObject({
    state: oneOf(STATE_MODES).default(K.state),
    boundary: z.boolean().default(K.boundary),
    pooling: oneOf(POOLINGS).default(K.pooling),
    smoothing: z.number().min(0).default(K.smoothing),
    weighting: oneOf(WEIGHTINGS).default(K.weighting),
    bootstrap: z.number().int().min(0).max(1_000_000).default(K.bootstrap),
    seed,
  }).prefault({}),
  separability: z.strictObject({
    inSample: z.boolean().default(S.inSample),
    temperature: z.number().positive().default(S.temperature),
    alternative: oneOf(ALTERNATIVES).default(S.alternative),
    method: oneOf(MANN_WHITNEY_METHODS).default(S.method),
    continuity: z.boolean().default(S.continuity),
    permutations: z.number().int().min(1).default(S.permutations),
    seed,
  }).prefault({}),
  classifier: z.strictObject({
    label: z.string().min(1).default(C.labelColumn),
    exclude: z.array(z.string().min(1)).default([]),
    cv: z.number().int().min(0).max(1000).refine((k) => k !== 1, { message: 'cv 1 leaves nothing to train on: use 0 (no evaluation) or k >= 2' }).default(C.cv),
    /** evaluate on a stratified holdout of this share instead of cross-validation */
    testSize: z.number().gt(0).lt(1).nullable().default(null),
    /** booster parameters by their xgboost names, e.g. { "max_depth": 4 } */
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
    threshold: z.union([z.number().gt(0).lt(1), z.enum(['youden', 'f1'])]).default(C.threshold),
    /** threads for the cross-validation fits (results do not depend on it); null: all cores */
    workers: z.number().int().min(1).max(256).nullable().default(null),
    seed,
  }).prefault({}),
  distill: z.strictObject({
    /** markup tiers (classification) instead of the markup regression, e.g. "0.4:1.1,0.7:1.3" */
    tiers: tiers.nullable().default(null),
    maxDepth: z.number().int().min(1).max(30).default(D.maxDepth),
    /** null: DISTILL_DEFAULTS.minSamplesLeaf (50), scaled down with a warning when there are too few sessions */
    minSamplesLeaf: z.number().int().min(1).nullable().default(null),
    testSize: z.number().min(0).max(0.9).default(D.testSize),
    exclude: z.array(z.string().min(1)).default([]),
    allowOutcomeColumns: z.boolean().default(false),
    priceColumn: z.string().min(1).nullable().default(null),
    agentWeight: z.number().default(T.a),
    purchaseWeight: z.number().default(T.b),
    markupBounds: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, { message: 'markupBounds is [lo, hi] with lo <= hi' }).default([T.lo, T.hi]),
    /** the human-safe rules (docs/distill.md, "Human-safe rules"; `phantom distill --human-safe p:markup`): null = off */
    humanSafe: z.strictObject({ maxPAgent: z.number().gt(0).max(1), maxMarkup: z.number().gt(0) }).nullable().default({ ...HUMAN_SAFE_DEFAULTS }),
    seed,
  }).prefault({}),
  gates: z.strictObject({
    /** fail when the separability p-value is above this */
    failIfPAbove: probability.nullable().default(null),
    /** fail when the classifier's evaluated ROC-AUC is below this */
    failUnderAuc: probability.nullable().default(null),
    /** fail when the leakage audit flags any feature */
    failIfLeakage: z.boolean().default(false),
  }).prefault({}),
}).superRefine((c, ctx) => {
  // Cross-field checks run even when other fields are wrong, so every problem shows in one run;
  // fields that did not parse may hold anything here.
  const gates = c.gates as { failUnderAuc?: unknown } | undefined, cl = c.classifier as { cv?: unknown; testSize?: unknown } | undefined;
  if (typeof gates?.failUnderAuc === 'number' && cl?.cv === 0 && (cl.testSize === null || cl.testSize === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['gates', 'failUnderAuc'], message: 'needs an evaluated AUC, but classifier.cv is 0 and classifier.testSize is null' });
  }
  const src = c.source as { since?: unknown; until?: unknown } | undefined;
  if (typeof src?.since === 'string' && typeof src.until === 'string' && parseIsoMs(src.since) >= parseIsoMs(src.until)) {
    ctx.addIssue({ code: 'custom', path: ['source', 'until'], message: 'must be later than source.since' });
  }
}, { when: () => true });

/** The config as written (before defaults). */
export type PipelineConfigInput = z.input<typeof pipelineConfigSchema>;
/** A parsed config; `source` and `labels` are still optional (the loader fills them). */
export type ParsedPipelineConfig = z.output<typeof pipelineConfigSchema>;
export type SourceConfig = z.output<typeof sourceSchema>;
export type LabelsConfig = NonNullable<ParsedPipelineConfig['labels']>;

/** The effective config: every default filled, every stage seed resolved, paths resolved. */
export interface PipelineConfig extends Omit<ParsedPipelineConfig, 'source' | 'labels' | 'kernels' | 'separability' | 'classifier' | 'distill'> {
  source: SourceConfig;
  labels: LabelsConfig;
  kernels: ParsedPipelineConfig['kernels'] & { seed: number };
  separability: ParsedPipelineConfig['separability'] & { seed: number };
  classifier: ParsedPipelineConfig['classifier'] & { seed: number };
  distill: ParsedPipelineConfig['distill'] & { seed: number };
}
