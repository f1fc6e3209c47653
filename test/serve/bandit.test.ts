// Must-show 4: LinUCB behind /v1/price and /v1/feedback learns the best markup of a stochastic market.
// 1,000 pricing rounds per seed, over HTTP, with feedback applied off the request path (so a price may
// be chosen before the previous round's feedback landed, as in production).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/stats/rng.js';
import { call, startApp } from './app-fixture.js';

const ARMS = [0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2]; // serve's default arms
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

/**
 * The market: a shopper converts with probability q(markup); the reward sent back is revenue / base price
 * (markup on a sale, 0 otherwise), the scale the simulator's LinUCB learns on. One markup — 1.05, a price
 * point shoppers accept — converts at 0.8, every other at 0.3: expected reward 0.84 vs at most 0.36.
 */
const conversion = (arm: number): number => (arm === 5 ? 0.8 : 0.3);

async function run(seed: number): Promise<{ shareLast200: number; plays: number[] }> {
  const s = await startApp({ policy: 'linucb', seed });
  const env = createRng(1000 + seed);
  try {
    // twenty live sessions with different histories (humans and fast agents), so contexts vary
    for (let k = 0; k < 20; k++) {
      const agent = k % 3 === 0;
      const events = Array.from({ length: 2 + env.int(25) }, (_, i) => ({
        sessionId: `shopper-${k}`, eventName: i % 4 === 3 && !agent ? 'add_item_to_cart' : 'view_item_page', ts: T0 + i * (agent ? 300 : 9000),
        productId: `p${env.int(6)}`, metadata: { price: 120 }, userAgent: agent ? 'HeadlessChrome/120' : 'Mozilla/5.0 Firefox/121',
      }));
      expect((await call(s.port, 'POST', '/v1/events', events)).status).toBe(202);
    }
    let best = 0;
    for (let t = 0; t < 1000; t++) {
      const price = await call(s.port, 'POST', '/v1/price', { sessionId: `shopper-${env.int(20)}`, productId: 'p1', basePrice: 120 });
      expect(price.status).toBe(200);
      const arm = ARMS.indexOf(price.body.markup);
      if (t >= 800 && arm === 5) best++;
      const reward = env.next() < conversion(arm) ? price.body.markup : 0;
      expect((await call(s.port, 'POST', '/v1/feedback', { decisionId: price.body.decisionId, reward })).status).toBe(202);
    }
    await s.app.parts.feedback.drain();
    return { shareLast200: best / 200, plays: Array.from(s.app.parts.bandit!.total().n) };
  } finally {
    await s.app.shutdown();
  }
}

describe('LinUCB pricing over HTTP (must-show 4)', () => {
  it('plays the best markup in more than 70% of the last 200 of 1,000 rounds, for each of 5 seeds', async () => {
    const shares: number[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = await run(seed);
      expect(r.plays.reduce((a, b) => a + b, 0)).toBe(1000); // every feedback was applied
      shares.push(r.shareLast200);
    }
    process.stderr.write(`[serve bandit] best-arm share in rounds 801–1000 by seed: ${shares.join(', ')}\n`);
    for (const share of shares) expect(share).toBeGreaterThan(0.7);
  }, 120_000);
});
