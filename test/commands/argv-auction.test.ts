// argv → options of `phantom auction`, without spawning the binary.
import { describe, expect, it } from 'vitest';
import { parseAuctionArgs as parse } from '../../src/commands/auction.js';
import { AUCTION_DEFAULTS as D, AUCTION_IMPRESSIONS_DEFAULT, AUCTION_OUT_DEFAULT } from '../../src/auction/run-auction.js';

/** The grid left to --config, else AUCTION_DEFAULTS: what no grid flag gives. */
const UNSET = { bidders: null, mechanisms: null, alphas: null, seeds: null, seed: null, auctions: null };

describe('auction argv → options', () => {
  it('defaults: the grid is left to --config (then AUCTION_DEFAULTS), the rest is AUCTION_DEFAULTS', () => {
    expect(parse([])).toEqual({ writeImpressions: null, out: AUCTION_OUT_DEFAULT, plot: true, json: false, quiet: false, options: { ...D, ...UNSET } });
    expect(parse(['--write-impressions', 'i.csv'])).toMatchObject({ writeImpressions: { file: 'i.csv', rows: AUCTION_IMPRESSIONS_DEFAULT, seed: D.seed } });
  });

  it('maps every flag to its option', () => {
    const a = parse(['-b', 'aggressive,defended-retargeting', '-m', 'first-price,gsp', '-n', '1000', '-a', '0:0.4:0.2', '--seeds', '2', '-s', '9', '--reserve', '0.1', '--slots', '2',
      '--pacing', 'throttling', '--budget', '0.2', '--agent-auc', '0.8', '--agent-scorer', 'kernel', '--profile-human', 'h.json', '--profile-agent', 'a.json', '--ctr-model', 'ctr.json',
      '--config', 'auction.json', '--workers', '0', '-o', 'out/', '--no-plot', '--ci', '0.9', '--json']);
    expect(a).toEqual({
      writeImpressions: null, out: 'out/', plot: false, json: true, quiet: false,
      options: {
        bidders: ['aggressive', 'defended-retargeting'], mechanisms: ['first-price', 'gsp'], alphas: [0, 0.2, 0.4], seeds: 2, seed: 9, auctions: 1000, reserve: 0.1, slots: 2,
        pacing: 'throttling', budget: 0.2, agentAuc: 0.8, agentScorer: 'kernel', profileHuman: 'h.json', profileAgent: 'a.json', ctrData: null, ctrModel: 'ctr.json', config: 'auction.json',
        workers: 0, ci: 0.9,
      },
    });
    expect(parse(['--write-impressions', 'i.csv', '--impressions', '50', '-s', '3']).writeImpressions).toEqual({ file: 'i.csv', rows: 50, seed: 3 });
  });

  it('refuses bad values with the documented message', () => {
    expect(() => parse(['-m', 'dutch'])).toThrow(/^--mechanism: unknown dutch \(choose from /);
    expect(() => parse(['--pacing', 'fast'])).toThrow('--pacing must be one of none, throttling, pid, got "fast"');
    expect(() => parse(['--agent-scorer', 'oracle'])).toThrow('--agent-scorer must be binormal or kernel, got "oracle"');
    expect(() => parse(['-b', ''])).toThrow('--bidders: give at least one bidder');
    expect(() => parse(['--agent-auc', '0.4'])).toThrow('--agent-auc must be between 0.5 and 1, got 0.4');
  });
});
