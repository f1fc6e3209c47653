/**
 * docs/features.md, generated from the registry (`phantom features --list --markdown > docs/features.md`);
 * a test fails when the committed file and the registry disagree.
 */
import { featureSpecs, type FeatureSetName, type FeatureSpec } from './registry.js';

const escape = (s: string): string => s.replace(/\|/g, '\\|');

/** A Markdown table of features. */
export function featureTable(specs: readonly FeatureSpec[]): string {
  const rows = specs.map((f, k) => `| ${k + 1} | \`${f.name}\` | ${f.group} | ${f.dtype} | ${escape(f.definition)} | ${escape(f.missing)} |`);
  return ['| # | feature | group | type | definition | missing |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Plain-text listing for `phantom features --list`. */
export function featureListing(set: FeatureSetName, priceLogs: boolean): { name: string; group: string; dtype: string; missing: string; definition: string }[] {
  return featureSpecs(set, { priceLogs }).map((f) => ({ name: f.name, group: f.group, dtype: f.dtype, missing: f.missing, definition: f.definition }));
}

/**
 * The whole of docs/features.md.
 * @example writeFileSync('docs/features.md', renderFeatureDocs())
 */
export function renderFeatureDocs(): string {
  return `# Session features

<!-- generated from src/features/registry.ts by \`phantom features --list --markdown > docs/features.md\`; do not edit by hand -->

\`phantom features\` turns events (docs/contract.md §3) into one row per session (docs/contract.md §4): \`sessionId\`,
\`experimentId\` (the first non-null in time order), the labels \`is_agent\` (the first non-null in time
order; sessions whose rows disagree are counted and reported) and \`purchased\` (purchases > 0), then the
features below in this order. Undefined values are **null**, not 0; \`--fill-missing 0\` reproduces the
original pipeline's \`fillna(0)\`. Types in \`sessions.parquet\`: int → Int32, float → Float64, bool → Bool,
category → Dictionary<Int32, Utf8>.

Events of a session are ordered by \`ts\`, ties broken by provenance offset (nulls last), then by position
in the input. Gaps are the differences between consecutive timestamps in seconds (ms precision); T is the
inactivity timeout (\`--timeout-sec\`, default 900). Sessions appear in the order of their first event in
the input (files in the order given, folders in name order).

## Default set

${featureTable(featureSpecs('default', { priceLogs: true }))}

\`shown_price_mean\` and \`shown_markup_mean\` are emitted only with \`--price-logs\`.

## \`--feature-set original\` (Appendix A)

Exactly the 27 columns of the original study's pipeline, in its order, with its semantics:

${featureTable(featureSpecs('original'))}

Where it differs from the default set:

- \`max_velocity_5min\` counts events per clock-aligned 5-minute bin (floor of epoch time / 300 s, UTC),
  not a sliding window.
- The price seen is \`metadata.base_price\` first, then \`metadata.price\` (the default prefers \`price\`).
- Sessions without a product-bearing event get null for unique_products_viewed, product_view_depth, the
  three price statistics and price_range; with products but no prices, price_range is 0 and the
  statistics null.
- \`browser_family\` tests Chrome before Edge, so Edge user agents come out as Chrome.
- \`purchases\` counts \`purchase_complete\`. **Deliberate deviation:** the original looked for event names
  that never occur (\`purchase\`, \`checkout_complete\`), so its purchases column was always 0.
- No filter, checkout, removal, unknown-event, entropy, dwell, gap-median, gap-CV, repeat-product,
  price-std or shown-price columns.

## Why these definitions

The original pipeline filtered the whole table once per row (O(n²)), never counted purchases, had no
filter features and measured velocity in clock bins. Here every feature is one pass over a session's
time-ordered events after a single sort, and every definition above is what the code computes: the
golden test (\`test/features/golden.test.ts\`) checks all of them against an independent pandas
implementation (\`test/oracles/features.py\`) on the fixtures, for both sets.
`;
}
