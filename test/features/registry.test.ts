// The registry is the single description of the output: Appendix A's 27 columns, docs/features.md in sync.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { featureSpecs, ORIGINAL_COLUMNS, renderFeatureDocs } from '../../src/features/index.js';

const APPENDIX_A = `session_duration_sec, total_interactions, avg_time_between_events,
std_time_between_events, min_time_between_events, session_start_hour, interaction_velocity,
max_velocity_5min, total_events, unique_pages, page_views, item_views, cart_adds, purchases, hover_events,
cart_to_view_ratio, conversion_rate, hover_intensity, unique_products_viewed, product_view_depth,
avg_price_seen, min_price_seen, max_price_seen, price_range, is_headless, is_automation, browser_family`.split(/,\s*/);

describe('feature registry', () => {
  it('the original set is exactly Appendix A, in order', () => {
    expect(ORIGINAL_COLUMNS).toEqual(APPENDIX_A);
    expect(featureSpecs('original').map((f) => f.name)).toEqual(APPENDIX_A);
  });

  it('the default set has no duplicates and holds the shown-price columns only with price logs', () => {
    const names = featureSpecs('default', { priceLogs: true }).map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('shown_markup_mean');
    expect(featureSpecs('default').map((f) => f.name)).not.toContain('shown_price_mean');
    for (const f of featureSpecs('default', { priceLogs: true })) {
      expect(f.definition.length, f.name).toBeGreaterThan(10);
      expect(f.missing.length, f.name).toBeGreaterThan(3);
    }
  });

  it('original-set definitions differ where Appendix A says', () => {
    const d = new Map(featureSpecs('default').map((f) => [f.name, f]));
    const o = new Map(featureSpecs('original').map((f) => [f.name, f]));
    for (const name of ['max_velocity_5min', 'avg_price_seen', 'browser_family', 'purchases', 'unique_products_viewed']) expect(o.get(name), name).not.toEqual(d.get(name));
    expect(o.get('purchases')!.definition).toMatch(/deviation/);
  });

  it('docs/features.md is generated from the registry (regenerate: phantom features --list --markdown > docs/features.md)', () => {
    expect(readFileSync(resolve(import.meta.dirname, '../../docs/features.md'), 'utf8')).toBe(renderFeatureDocs());
  });
});
