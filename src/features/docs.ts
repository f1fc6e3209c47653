/**
 * docs/features.md, generated from the registry (`phantom features --list --markdown > docs/features.md`);
 * a test fails when the committed file and the registry disagree.
 */
import { featureSpecs, type FeatureSetName, type FeatureSpec } from './registry.js';
import { requestSpecs } from './request-specs.js';

const escapePipes = (s: string): string => s.replace(/\|/g, '\\|');

/** A Markdown table of features. */
export function featureTable(specs: readonly FeatureSpec[]): string {
  const rows = specs.map((f, k) => `| ${k + 1} | \`${f.name}\` | ${f.group}${f.context ? ' (context)' : ''} | ${f.dtype} | ${escapePipes(f.definition)} | ${escapePipes(f.missing)} |`);
  return ['| # | feature | group | type | definition | missing |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Plain-text listing for `phantom features --list`. */
export function featureListing(set: FeatureSetName, priceLogs: boolean): { name: string; group: string; dtype: string; context: boolean; missing: string; definition: string }[] {
  return featureSpecs(set, { priceLogs, requestColumns: 'all' }).map((f) => ({ name: f.name, group: f.group, dtype: f.dtype, context: f.context === true, missing: f.missing, definition: f.definition }));
}

/**
 * The whole of docs/features.md.
 * @example writeFileSync('docs/features.md', renderFeatureDocs())
 */
export function renderFeatureDocs(): string {
  return `# Session features

<!-- generated from src/features/registry.ts by \`phantom features --list --markdown > docs/features.md\`; do not edit by hand -->

\`phantom features\` turns events (docs/contract.md §3) into one row per session (docs/contract.md §4): \`sessionId\`,
\`experimentId\` (the first non-null in time order), the labels \`is_agent\` (the label the session's
events carry; a session whose rows carry both is null and counted as \`conflictingLabels\`, docs/contract.md §3.1) and \`purchased\` (purchases > 0), then the
features below in this order. Undefined values are **null**, not 0; \`--fill-missing 0\` reproduces the
original pipeline's \`fillna(0)\`. Types in \`sessions.parquet\`: int → Int32, float → Float64, bool → Bool,
category → Dictionary<Int32, Utf8>.

Events of a session are ordered by \`ts\`, ties broken by provenance offset (nulls last), then by position
in the input. Gaps are the differences between consecutive timestamps in seconds (ms precision); T is the
inactivity timeout (\`--timeout-sec\`, default 900). Sessions appear in the order of their first event in
the input (files in the order given, folders in name order).

## Default set

${featureTable(featureSpecs('default', { priceLogs: true }))}

\`shown_price_mean\` and \`shown_markup_mean\` are emitted only with \`--price-logs\`. After the features,
sessions.parquet holds two columns that are never features: \`site\` (the first non-null \`site\` of the
session's events, e.g. the virtual host of an access log; null when the events have no site column) and
\`session_date\` (UTC date of the first event, YYYY-MM-DD) — what \`--group-by\` splits on (docs/classifier.md).

**Context features** (marked *(context)*) describe when or with what the data was collected — time of day,
browser family, user-agent flags — rather than how the session behaved. In labelled data they often carry
the collection artefact (humans recorded in office hours, bots at night) instead of the behaviour; the
confound audit of \`train-classifier\` and \`evaluate\` warns when they dominate and always reports the
AUC without them (docs/classifier.md).

## Request features (\`requests\` group)

Computed when the events carry request columns (\`phantom export --from access-log\`, docs/access-logs.md),
default set only, after the features above. A *request* is an event with a non-null \`resource_kind\`.
Each feature is emitted only when every column it reads is in the events file: with no \`status\` column
there are no status shares, with no \`resource_kind\` no request feature at all — absent columns leave
features out, they are never filled with zeros.

${featureTable(requestSpecs('all'))}

Why these: they are the session features that separate web robots from people in the web-log literature,
restated for request-level events.

- Stevanovic, Vlajic & An (2012), *Feature evaluation for web crawler detection with data mining
  techniques*, Expert Systems with Applications 39(10): share of HEAD requests, of 4xx responses, of
  requests with an unassigned referrer, robots.txt fetched, page depth, click rate; here \`head_share\`,
  \`status_4xx_share\`, \`pages_without_referrer_share\`, \`robots_txt_fetched\`, \`mean_path_depth\`.
- Lagopoulos, Tsoumakas & Papadopoulos (2018), *Web robot detection: a semantic approach* (ICTAI 2018;
  arXiv 1711.05098): total requests, session duration, mean and standard deviation of the time between
  requests, shares of image/asset requests, of 3xx and 4xx responses, of HEAD requests and of requests
  without referrer, robots.txt; here \`request_count\`, \`asset_share\`, \`status_3xx_share\`, the
  \`nonasset_gap_*\` statistics.
- Iliou, Kostoulas, Tsikrika et al. (2021), *Detection of advanced web bots by combining web logs with
  mouse behavioural biometrics*, Digital Threats: Research and Practice 2(3): browsing speed (pages per
  time), per-type request shares, timing over page requests only, POST/HEAD shares; here
  \`pages_per_minute\`, \`page_share\`/\`api_share\`/\`beacon_share\`, \`assets_per_page\`, \`post_share\`.

Timing is taken over *non-asset* requests because a browser fetches a page's assets within milliseconds
of the page: gaps between a page and its images measure the network, not the visitor. Burstiness is Goh &
Barabási's (2008) B = (σ − μ)/(σ + μ). \`favicon_fetched\` follows the observation that browsers fetch a
favicon and most scripted clients do not. \`ua_known_bot\` uses the maintained pattern list of the npm
package \`isbot\` (a context feature: it reads the declared user agent, not behaviour). Every request feature
is checked against an independent pandas implementation (\`test/oracles/requests.py\`) on 80 seeded random
sessions with nulls in every request column (\`test/features/requests-golden.test.ts\`).

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
