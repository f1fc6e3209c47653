/**
 * `POST /v1/price`: the markup for a session and product under the configured policy (docs/serve.md):
 * `static` posts one markup, `rules` applies the distilled tree to the session's features, `linucb`
 * chooses an arm for the session's context with exploration. The markup is clamped to [floor, cap],
 * price = basePrice · markup (to 12 significant digits, so 100 · 1.15 is 115), and the decision is logged for its feedback. Synchronous: no I/O here.
 */
import type { Rng } from '../stats/rng.js';
import type { DecisionLog } from './decisions.js';
import type { LinUcbState } from './linucb-state.js';
import type { PricingPolicyName } from './options.js';
import { CONTEXT_DIMENSION, pricingContext } from './pricing-context.js';
import { randomHex } from './random-hex.js';
import type { SessionSignals } from './scoring.js';

export interface PriceRequest {
  sessionId: string;
  productId: string | null;
  basePrice: number;
}

export interface PriceAnswer {
  price: number;
  markup: number;
  policy: PricingPolicyName;
  agentProbability: number | null;
  decisionId: string;
  /** why the policy could not apply (e.g. `unknown_session` for `rules`), else absent */
  fallback?: string;
}

export interface PricerSetup {
  policy: PricingPolicyName;
  staticMarkup: number;
  floor: number;
  cap: number;
  bandit: LinUcbState | null;
  decisions: DecisionLog;
  rng: Rng;
  now: () => number;
}

/**
 * A pricer over one policy.
 * @example const pricer = createPricer(setup); pricer.price({ sessionId: 's1', productId: 'p1', basePrice: 120 }, signals)
 */
export function createPricer(s: PricerSetup) {
  // the context, rewritten by every request (choose and record read it synchronously; record copies it)
  const context = new Float64Array(CONTEXT_DIMENSION);
  return {
    price(req: PriceRequest, signals: SessionSignals | null): PriceAnswer {
      let markup = s.staticMarkup, arm = -1, x: Float64Array | null = null, fallback: string | undefined;
      if (s.policy === 'rules') {
        if (signals?.rulesMarkup == null) fallback = 'unknown_session';
        else markup = signals.rulesMarkup;
      } else if (s.policy === 'linucb') {
        x = pricingContext(signals, s.now(), context);
        arm = s.bandit!.choose(x, s.rng);
        markup = s.bandit!.params.arms[arm]!;
      }
      markup = Math.min(s.cap, Math.max(s.floor, markup));
      // 128 random bits as 32 hex digits (a flat 56-byte string; randomUUID's strings cost ~490 bytes each)
      const decisionId = randomHex(16);
      // only a learning policy needs its decisions back with the feedback
      if (arm >= 0) s.decisions.record({ decisionId, arm, x: x!, markup });
      const answer: PriceAnswer = { price: round12(req.basePrice * markup), markup, policy: s.policy, agentProbability: signals?.agentProbability ?? null, decisionId };
      if (fallback !== undefined) answer.fallback = fallback;
      return answer;
    },
  };
}

export type Pricer = ReturnType<typeof createPricer>;

/** 10^k for k = 0…22, each exact in a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * `Number(v.toPrecision(12))` without the decimal string (V8 formats it with bignum arithmetic: ~5,000
 * instructions a price, then parses it back). For v in (1e-11, 1e11), p = v·10^k with 10^k exact lies in
 * [1e11, 1e12) and is within half an ulp (< 1.3e-4) of the exact product, so unless p is within 1e-3 of a
 * half, round(p) is toPrecision's 12 digits, and round(p) / 10^k (both exact) is correctly rounded, i.e. the
 * double `Number` parses from them. Anything else takes toPrecision. test/serve/reply-json.test.ts compares.
 * @example round12(100 * 1.15) // 115, as Number((100 * 1.15).toPrecision(12))
 */
export function round12(v: number): number {
  if (v > 1e-11 && v < 1e11) {
    const k = 11 - Math.floor(Math.log10(v));
    if (k >= 0 && k <= 22) {
      const p = v * POW10[k]!, f = p - Math.floor(p);
      if (p >= 1e11 && p < 999_999_999_999 && Math.abs(f - 0.5) > 1e-3) return Math.round(p) / POW10[k]!;
    }
  }
  return Number(v.toPrecision(12));
}

/** A JSON number as JSON.stringify writes it (NaN and ±Infinity are null). */
const jsonNumber = (v: number | null): string => (v !== null && Number.isFinite(v) ? `${v}` : 'null');

/**
 * `JSON.stringify(answer)`, written directly: the price route's reply, a flat object whose keys are
 * always in this order and whose strings need no escaping (a policy name, hex digits, a fallback code);
 * test/serve/reply-json.test.ts compares it with JSON.stringify.
 * @example priceAnswerJson(pricer.price(request, signals))
 */
export function priceAnswerJson(a: PriceAnswer): string {
  const head = `{"price":${jsonNumber(a.price)},"markup":${jsonNumber(a.markup)},"policy":"${a.policy}","agentProbability":${jsonNumber(a.agentProbability)},"decisionId":"${a.decisionId}"`;
  return a.fallback === undefined ? `${head}}` : `${head},"fallback":"${a.fallback}"}`;
}
