// Customers and stages: the lifecycle rule (first match), the alias-method visit draws, fatigue.
import { describe, expect, it } from 'vitest';
import { aliasTable, createPopulation, drawCustomer, expose, fatigue, visit } from '../../src/auction/customers.js';
import { MARKET_DEFAULTS } from '../../src/auction/params.js';
import { AWARENESS, CHURN_RISK, CONSIDERATION, INTEREST, PURCHASE, RETENTION, stageOf } from '../../src/auction/stages.js';
import { createRng } from '../../src/stats/rng.js';

describe('customers', () => {
  it('stage rule, first match: churn beats purchases, purchases beat a cart, a cart beats visits', () => {
    expect(stageOf(31, 5, 100, 10)).toBe(CHURN_RISK);
    expect(stageOf(30, 5, 100, 10)).toBe(RETENTION);
    expect(stageOf(0, 3, 0, 0)).toBe(RETENTION);
    expect(stageOf(0, 2, 100, 10)).toBe(PURCHASE);
    expect(stageOf(0, 0, 0.01, 0)).toBe(CONSIDERATION);
    expect(stageOf(0, 0, 0, 3.01)).toBe(INTEREST);
    expect(stageOf(0, 0, 0, 3)).toBe(AWARENESS);
  });

  it('alias-method draws follow the weights (chi-square within bounds)', () => {
    const w = Float64Array.of(0.5, 0.2, 0.15, 0.1, 0.05);
    const [prob, alias] = aliasTable(w);
    const pop = { n: 5, aliasProb: prob, alias } as unknown as Parameters<typeof drawCustomer>[0];
    const rng = createRng(3), counts = new Float64Array(5), n = 200_000;
    for (let i = 0; i < n; i++) counts[drawCustomer(pop, rng)]!++;
    let chi2 = 0;
    for (let k = 0; k < 5; k++) chi2 += (counts[k]! - n * w[k]!) ** 2 / (n * w[k]!);
    expect(chi2).toBeLessThan(18.47); // χ²(4) 0.999 quantile
  });

  it('a visit after more than 30 days is churn_risk and abandons the cart; fatigue needs > 3 exposures with < 10 % clicks', () => {
    const pop = createPopulation({ ...MARKET_DEFAULTS.customers, customers: 10 }, 2, createRng(1));
    pop.lastVisit[0] = 0; pop.cart[0] = 50; pop.purchases[0] = 0;
    expect(visit(pop, 0, 31)).toBe(CHURN_RISK);
    expect(pop.cart[0]).toBe(0);
    expect(pop.lastVisit[0]).toBe(31);
    for (let k = 0; k < 3; k++) expose(pop, 1, 0, false);
    expect(fatigue(pop, 1, 0)).toBe(1);
    expose(pop, 1, 0, false);
    expect(fatigue(pop, 1, 0)).toBe(0.7);
    expose(pop, 1, 0, true);
    expect(fatigue(pop, 1, 0)).toBe(1); // 1 click in 5 = 20 %
    expect(fatigue(pop, 1, 1)).toBe(1); // per advertiser
  });
});
