// The pipeline's stage defaults are what the stand-alone commands parse from argv with no flags, so
// `phantom pipeline` and the commands run one by one give the same numbers.
import { describe, expect, it } from 'vitest';
import { parseDistillArgs } from '../../src/commands/distill.js';
import { parseExportArgs } from '../../src/commands/export.js';
import { parseFeaturesArgs } from '../../src/commands/features.js';
import { parseKernelsArgs } from '../../src/commands/kernels.js';
import { parseSeparabilityArgs } from '../../src/commands/separability.js';
import { parseTrainClassifierArgs } from '../../src/commands/train-classifier.js';
import { pipelineConfigSchema } from '../../src/pipeline/config-schema.js';

describe('pipeline config defaults = the commands\' argv defaults', () => {
  const c = pipelineConfigSchema.parse({});

  it('export, features, kernels, separability', () => {
    const ex = parseExportArgs(['--from', 'file', 'e.jsonl', '-o', 'e.parquet']);
    expect(c.export).toMatchObject({ compression: ex.options.compression, rowGroupSize: ex.options.rowGroupSize });
    const ak = pipelineConfigSchema.parse({ source: { from: 'access-log', inputs: ['a.log'] } }).source;
    expect(ak).toMatchObject({ logFormat: ex.flags.logFormat, timezone: ex.flags.timezone });
    expect(pipelineConfigSchema.parse({ source: { from: 'kafka', brokers: '127.0.0.1:9092' } }).source).toMatchObject({ topic: ex.flags.topic });
    const f = parseFeaturesArgs(['e.parquet', '-o', 's.parquet']).options;
    expect(c.features).toEqual({ featureSet: f.featureSet, timeoutSec: f.timeoutSec, fillMissing: f.fillMissing });
    const { seed: kSeed, ...k } = c.kernels;
    const ko = parseKernelsArgs(['e.parquet']).options;
    expect(k).toEqual({ state: ko.state, boundary: ko.boundary, pooling: ko.pooling, smoothing: ko.smoothing, weighting: ko.weighting, bootstrap: ko.bootstrap });
    expect(kSeed).toBeNull(); // the pipeline's seed (42, the commands' too) applies
    const so = parseSeparabilityArgs(['e.parquet']).options;
    expect(c.separability).toMatchObject({ inSample: so.inSample, temperature: so.temperature, alternative: so.alternative, method: so.method, continuity: so.continuity, permutations: so.permutations });
    expect([c.seed, ko.seed, so.seed]).toEqual([42, 42, 42]);
  });

  it('train-classifier and distill', () => {
    const t = parseTrainClassifierArgs(['s.parquet', '-o', 'm.json']).options;
    expect(c.classifier).toMatchObject({ label: t.labelColumn, cv: t.cv, threshold: t.threshold, testSize: t.testSize });
    const d = parseDistillArgs(['m.json', 's.parquet', '-o', 'r.json']).options, co = d.coefficients;
    if (co === undefined) throw new Error('distill argv gave no markup coefficients');
    expect(c.distill).toMatchObject({ maxDepth: d.maxDepth, testSize: d.testSize, agentWeight: co.a, purchaseWeight: co.b, markupBounds: [co.lo, co.hi] });
    expect([c.distill.humanSafe, d.humanSafe]).toEqual([{ maxPAgent: 0.1, maxMarkup: 1.02 }, { maxPAgent: 0.1, maxMarkup: 1.02 }]); // the human-safe rules: on in both
  });
});
