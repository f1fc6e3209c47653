/**
 * The endpoints of docs/serve.md as functions of a parsed request: validation (the §1.1 event schema through
 * `normalise`, zod for price and feedback bodies, every problem listed with its path), then the
 * service's parts. Each returns a status and a JSON body or throws an HttpError.
 */
import { z } from 'zod';
import { normalise } from '../events/normalise.js';
import { badRequest, HttpError, printable } from './http-error.js';
import type { ServeParts } from './parts.js';
import { toStoredRow, type StoredRow } from './session-buffer.js';
import type { LiveSession } from './session-repository.js';
import { priceAnswerJson } from './pricer.js';
import { scoreJson, scoreSession, sessionSignals } from './scoring.js';

export interface Reply {
  status: number;
  body: unknown;
  /** `JSON.stringify(body)` when the handler wrote it already (the price and events fast paths): sent as is */
  json?: string;
}

// a frozen label set: the metrics build its text once (metrics.ts)
const ACCEPTED = Object.freeze({ result: 'accepted', reason: 'none' });

/** Longest session id accepted by every endpoint (events, score, price). */
export const MAX_SESSION_ID_LENGTH = 512;

const priceSchema = z.object({
  sessionId: z.string().min(1).max(MAX_SESSION_ID_LENGTH),
  productId: z.string().max(512).nullable().optional(),
  basePrice: z.number().finite().positive(),
}).strict();

const feedbackSchema = z.object({
  decisionId: z.string().min(1).max(128),
  reward: z.number().finite(),
}).strict();

/**
 * A price body that priceSchema accepts as it is (the three keys, nothing else, each in range), checked
 * without zod: the common case on the hot path. Anything else returns null and goes through zod, which
 * lists every problem.
 */
function plainPriceRequest(body: unknown): z.infer<typeof priceSchema> | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  for (const k in body) if (k !== 'sessionId' && k !== 'productId' && k !== 'basePrice') return null;
  const { sessionId, productId, basePrice } = body as Record<string, unknown>;
  if (typeof sessionId !== 'string' || sessionId.length < 1 || sessionId.length > MAX_SESSION_ID_LENGTH) return null;
  if (productId !== undefined && productId !== null && (typeof productId !== 'string' || productId.length > 512)) return null;
  if (typeof basePrice !== 'number' || !Number.isFinite(basePrice) || !(basePrice > 0)) return null;
  return body as z.infer<typeof priceSchema>;
}

function validate<T>(schema: z.ZodType<T>, body: unknown, code: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw badRequest(code, r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`));
}

/** POST /v1/events: one event or an array; 202 with counts and a reason per rejected record. */
export async function postEvents(p: ServeParts, body: unknown): Promise<Reply> {
  return eventsReply(p, body);
}

/**
 * postEvents for the request path: the reply itself when nothing had to wait (no Redis write, a batch
 * small enough to take in one slice), else a promise of it. Same replies, same errors (thrown).
 */
export function eventsReply(p: ServeParts, body: unknown): Reply | Promise<Reply> {
  const single = !Array.isArray(body);
  const items: unknown[] = single ? [body] : (body as unknown[]);
  if (items.length === 0) throw new HttpError(400, 'empty_batch', 'the event array is empty');
  if (items.length > p.config.maxBatchEvents) throw new HttpError(413, 'batch_too_large', `at most ${p.config.maxBatchEvents} events per request, got ${items.length}`);
  const batch: EventBatch = { now: p.now(), groups: new Map(), errors: [] };
  if (items.length <= p.config.batchSliceEvents) {
    takeEvents(p, items, 0, items.length, batch);
    return eventsAccepted(p, single, items.length, batch);
  }
  return takeEventsSliced(p, single, items, batch);
}

/** A request's events so far: rows grouped by session, and the rejected ones. */
interface EventBatch {
  now: number;
  groups: Map<string, StoredRow[]>;
  errors: { index: number; reason: string; detail: string }[];
}

/** A large batch is handled in slices, yielding between them, so other requests are not held up. */
async function takeEventsSliced(p: ServeParts, single: boolean, items: unknown[], batch: EventBatch): Promise<Reply> {
  for (let i = 0; i < items.length; i += p.config.batchSliceEvents) {
    if (i > 0) await new Promise((r) => setImmediate(r));
    takeEvents(p, items, i, Math.min(items.length, i + p.config.batchSliceEvents), batch);
  }
  return eventsAccepted(p, single, items.length, batch);
}

/** Validate items [from, to) into the batch. */
function takeEvents(p: ServeParts, items: unknown[], from: number, to: number, batch: EventBatch): void {
  const { groups, errors } = batch;
  // the body parser has checked its depth (parseJsonBody): normalise need not walk it again
  const options = { depthWithin: p.config.maxJsonDepth };
  for (let i = from; i < to; i++) {
    const r = normalise({ value: items[i], provenance: { topic: null, partition: null, offset: null, timestamp: batch.now } }, options);
    if (!r.ok) {
      errors.push({ index: i, reason: r.reason, detail: printable(r.detail) });
      continue;
    }
    const id = r.row.sessionId;
    if (id.length > MAX_SESSION_ID_LENGTH) {
      errors.push({ index: i, reason: 'session_id_too_long', detail: `sessionId has ${id.length} characters; at most ${MAX_SESSION_ID_LENGTH}` });
      continue;
    }
    const rows = groups.get(id) ?? [];
    if (p.sessions.room(id) - rows.length <= 0) {
      errors.push({ index: i, reason: 'session_full', detail: `session ${printable(id, 80)} already holds ${p.config.maxEventsPerSession} events` });
      continue;
    }
    if (r.tsFromBroker) p.metrics.inc('phantom_events_ts_from_server_total', 'Events without ts, stamped with the time they arrived.');
    rows.push(toStoredRow(r.row));
    groups.set(id, rows);
  }
}

/** Count the outcomes, refuse a batch with nothing accepted, append the rest; the 202 reply. */
function eventsAccepted(p: ServeParts, single: boolean, n: number, { groups, errors }: EventBatch): Reply | Promise<Reply> {
  const accepted = n - errors.length;
  for (const e of errors) p.metrics.inc('phantom_events_total', 'Events received, by outcome.', { result: 'rejected', reason: e.reason });
  if (accepted > 0) p.metrics.inc('phantom_events_total', 'Events received, by outcome.', ACCEPTED, accepted);
  if (accepted === 0) {
    const first = errors[0]!;
    throw new HttpError(400, first.reason.startsWith('wrong_type') ? 'wrong_type' : first.reason, single ? first.detail : `all ${errors.length} events were rejected; first: [${first.index}] ${first.detail}`);
  }
  // nothing rejected (the common case): the reply's text is written directly, as JSON.stringify would
  const reply: Reply = errors.length === 0
    ? { status: 202, body: { accepted, rejected: 0, errors }, json: `{"accepted":${accepted},"rejected":0,"errors":[]}` }
    : { status: 202, body: { accepted, rejected: errors.length, errors } };
  const shared = p.sessions.append(groups);
  return shared === undefined ? reply : shared.then(() => reply);
}

/** GET /v1/sessions/{id}/score. */
export async function getScore(p: ServeParts, sessionId: string): Promise<Reply> {
  if (sessionId.length > MAX_SESSION_ID_LENGTH) throw new HttpError(400, 'session_id_too_long', `the session id has ${sessionId.length} characters; at most ${MAX_SESSION_ID_LENGTH}`);
  const live = await p.sessions.load(sessionId);
  if (live === undefined) throw new HttpError(404, 'unknown_session', `no events for session ${sessionId.slice(0, 80)} (never seen, or expired after ${p.config.sessionTtlMs / 1000} s idle)`);
  return { status: 200, body: scoreJson(scoreSession(live, p.scorers)) };
}

/** POST /v1/price. */
export async function postPrice(p: ServeParts, body: unknown): Promise<Reply> {
  return priceReply(p, body);
}

/**
 * postPrice for the request path: the reply itself when the session is answered locally (no Redis round
 * trip), else a promise of it. Same replies, same errors (thrown).
 */
export function priceReply(p: ServeParts, body: unknown): Reply | Promise<Reply> {
  const req = plainPriceRequest(body) ?? validate(priceSchema, body, 'invalid_price_request');
  // the largest markup must still give a finite price (JSON has no Infinity: it would be sent as null)
  if (!Number.isFinite(req.basePrice * p.config.cap)) throw new HttpError(422, 'price_not_finite', `basePrice ${req.basePrice} times the markup cap ${p.config.cap} is not a finite number; send a smaller basePrice`);
  const local = p.sessions.loadLocal(req.sessionId);
  if (local !== null) return priced(p, req, local);
  return p.sessions.load(req.sessionId).then((live) => priced(p, req, live));
}

function priced(p: ServeParts, req: z.infer<typeof priceSchema>, live: LiveSession | undefined): Reply {
  const signals = live === undefined ? null : sessionSignals(live, p.scorers, p.rules);
  const answer = p.pricer.price({ sessionId: req.sessionId, productId: req.productId ?? null, basePrice: req.basePrice }, signals);
  return { status: 200, body: answer, json: priceAnswerJson(answer) };
}

/** POST /v1/feedback: the bandit update is queued; 202 once queued. */
export async function postFeedback(p: ServeParts, body: unknown): Promise<Reply> {
  const fb = validate(feedbackSchema, body, 'invalid_feedback');
  if (p.bandit === null) return { status: 202, body: { queued: false, reason: `the ${p.config.policy} policy does not learn from feedback` } };
  const decision = await p.decisions.claim(fb.decisionId);
  if (decision === undefined) throw new HttpError(404, 'unknown_decision', `decision ${fb.decisionId.slice(0, 80)} is unknown, expired (kept ${p.config.decisionTtlMs / 1000} s, at most ${p.config.maxDecisions} per replica), or already has feedback`);
  if (!p.feedback.push({ decision, reward: fb.reward })) throw new HttpError(503, 'queue_full', `the feedback queue holds ${p.feedback.capacity} items; retry later`, { 'retry-after': '1' });
  return { status: 202, body: { queued: true } };
}
