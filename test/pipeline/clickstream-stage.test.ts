// The pipeline's clickstream extras on the fixture events: absorbing analysis per class (skipped, with the
// reason, when the states have no purchase state) and clusters over k = 2…4.
import { describe, expect, it } from 'vitest';
import { loadLabelledEvents } from '../../src/kernels/input.js';
import { KERNEL_DEFAULTS } from '../../src/kernels/fit-kernels.js';
import { prepareSessions } from '../../src/kernels/prepare.js';
import { clickstreamStage, PIPELINE_CLUSTERS } from '../../src/pipeline/clickstream-stage.js';

describe('pipeline clickstream stage', () => {
  it('absorbing chains per class and clusters chosen among k = 2…4; category states skip the absorbing part', async () => {
    const { table, flags } = await loadLabelledEvents(['fixtures/events.parquet'], { labelColumn: 'is_agent' });
    const vocab = prepareSessions(table, flags, { state: 'event', boundary: true }).states.vocabulary;
    const r = clickstreamStage(table, flags, KERNEL_DEFAULTS, 42, vocab);
    expect(r.absorbingSkipped).toBeNull();
    expect(r.absorbing!.human!.conversion).toBeGreaterThan(r.absorbing!.agent!.conversion);
    expect(PIPELINE_CLUSTERS.ks).toContain(r.clusters.model.k);
    expect(r.clusters.fit.selection.map((s) => s.k)).toEqual([...PIPELINE_CLUSTERS.ks]);
    const cat = { ...KERNEL_DEFAULTS, state: 'category' as const };
    const catVocab = prepareSessions(table, flags, { state: 'category', boundary: true }).states.vocabulary;
    const c = clickstreamStage(table, flags, cat, 42, catVocab);
    expect(c.absorbing).toBeNull();
    expect(c.absorbingSkipped).toMatch(/no purchase_complete state under --state category/);
    expect(c.clusters.state).toBe('category');
  });
});
