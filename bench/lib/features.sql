-- The default session features of docs/features.md (38 columns without --price-logs) as DuckDB SQL, written
-- from the definitions in that file alone; bench/features-duckdb.mjs times it against `phantom features`
-- on the same events.parquet and compares every value. `{{EVENTS}}` is replaced by the input path.
-- Order inside a session: ts, then src_offset (nulls last), then file position (docs/contract.md §3).
WITH e AS (
  SELECT sessionId, experimentId, epoch_ms(ts) AS t, eventName, page, productId, price, dwellMs, userAgent, is_agent,
         src_offset, file_row_number AS pos
  FROM read_parquet('{{EVENTS}}', file_row_number = true)
),
o AS (
  SELECT *,
         (t - lag(t) OVER w) / 1000.0 AS gap,
         lead(eventName) OVER w AS nxt,
         row_number() OVER w AS rn,
         count(*) OVER (PARTITION BY sessionId ORDER BY t RANGE BETWEEN CURRENT ROW AND 299999 FOLLOWING) AS ahead
  FROM e
  WINDOW w AS (PARTITION BY sessionId ORDER BY t, src_offset NULLS LAST, pos)
),
base AS (
  SELECT sessionId,
         arg_min(experimentId, rn) FILTER (WHERE experimentId IS NOT NULL) AS experimentId,
         bool_or(is_agent) AS any_agent, bool_and(is_agent) AS all_agent,
         coalesce(sum(CASE WHEN gap <= 900 THEN gap ELSE 0 END), 0) AS session_duration_sec,
         count(*) AS total_interactions,
         avg(gap) AS avg_time_between_events,
         coalesce(stddev_samp(gap), 0) AS std_time_between_events,
         min(gap) AS min_time_between_events,
         median(gap) AS gap_median_sec,
         min(t) AS first_t,
         (min(t) // 3600000) % 24 AS session_start_hour,
         max(ahead) AS max_velocity_5min,
         count(eventName) AS total_events,
         count(DISTINCT page) AS unique_pages,
         count_if(eventName = 'page_view') AS page_views,
         count_if(eventName IN ('view_item_page', 'learn_more_about_item')) AS item_views,
         count_if(eventName = 'add_item_to_cart') AS cart_adds,
         count_if(eventName = 'remove_item') AS cart_removes,
         count_if(eventName = 'checkout_start') AS checkout_starts,
         count_if(eventName = 'purchase_complete') AS purchases,
         count_if(starts_with(eventName, 'hover_over_')) AS hover_events,
         count_if(eventName IN ('search', 'filter_for_date', 'filter_for_amenities', 'filter_for_price', 'sort_change')) AS filter_events,
         count_if(NOT starts_with(eventName, 'hover_over_') AND eventName NOT IN ('page_view', 'view_item_page',
           'learn_more_about_item', 'add_item_to_cart', 'remove_item', 'checkout_start', 'purchase_complete', 'session_start',
           'search', 'filter_for_date', 'filter_for_amenities', 'filter_for_price', 'sort_change')) AS unknown_events,
         count(DISTINCT productId) AS unique_products_viewed,
         count(productId) AS product_events,
         avg(price) FILTER (WHERE productId IS NOT NULL) AS avg_price_seen,
         min(price) FILTER (WHERE productId IS NOT NULL) AS min_price_seen,
         max(price) FILTER (WHERE productId IS NOT NULL) AS max_price_seen,
         stddev_samp(price) FILTER (WHERE productId IS NOT NULL) AS std_price_seen,
         avg(dwellMs) AS dwell_mean_ms,
         arg_min(userAgent, rn) FILTER (WHERE userAgent IS NOT NULL) AS ua
  FROM o GROUP BY sessionId
),
names AS (SELECT sessionId, eventName, count(*) AS c FROM o WHERE eventName IS NOT NULL GROUP BY ALL),
name_entropy AS (
  SELECT sessionId, -sum(c / n * ln(c / n)) AS event_type_entropy
  FROM (SELECT *, sum(c) OVER (PARTITION BY sessionId) AS n FROM names) GROUP BY sessionId
),
pairs AS (SELECT sessionId, eventName, nxt, count(*) AS c FROM o WHERE eventName IS NOT NULL AND nxt IS NOT NULL GROUP BY ALL),
pair_entropy AS (
  SELECT sessionId, -sum(c / n * ln(c / n)) AS transition_entropy
  FROM (SELECT *, sum(c) OVER (PARTITION BY sessionId) AS n FROM pairs) GROUP BY sessionId
),
depth AS (
  SELECT sessionId, max(c) AS product_view_depth
  FROM (SELECT sessionId, productId, count(*) AS c FROM o WHERE productId IS NOT NULL GROUP BY ALL) GROUP BY sessionId
)
SELECT b.sessionId, b.experimentId,
       CASE WHEN b.all_agent THEN true WHEN NOT b.any_agent THEN false END AS is_agent,
       b.purchases > 0 AS purchased,
       b.session_duration_sec, b.total_interactions, b.avg_time_between_events, b.std_time_between_events,
       b.min_time_between_events, b.gap_median_sec,
       CASE WHEN b.avg_time_between_events <> 0 THEN b.std_time_between_events / b.avg_time_between_events END AS gap_cv,
       b.session_start_hour,
       CASE WHEN b.session_duration_sec > 0 THEN b.total_interactions / b.session_duration_sec * 60 ELSE 0 END AS interaction_velocity,
       b.max_velocity_5min, b.total_events, b.unique_pages, b.page_views, b.item_views, b.cart_adds, b.cart_removes,
       b.checkout_starts, b.purchases, b.hover_events, b.filter_events, b.unknown_events,
       CASE WHEN b.item_views > 0 THEN b.cart_adds / b.item_views ELSE 0 END AS cart_to_view_ratio,
       CASE WHEN b.item_views > 0 THEN b.purchases / b.item_views ELSE 0 END AS conversion_rate,
       CASE WHEN b.total_events > 0 THEN b.hover_events / b.total_events END AS hover_intensity,
       ne.event_type_entropy, coalesce(pe.transition_entropy, 0) AS transition_entropy,
       b.unique_products_viewed, coalesce(d.product_view_depth, 0) AS product_view_depth,
       CASE WHEN b.product_events > 0 THEN 1 - b.unique_products_viewed / b.product_events END AS repeat_product_ratio,
       b.avg_price_seen, b.min_price_seen, b.max_price_seen, b.std_price_seen,
       coalesce(b.max_price_seen - b.min_price_seen, 0) AS price_range,
       b.dwell_mean_ms,
       coalesce(regexp_matches(b.ua, 'HeadlessChrome|Headless|PhantomJS', 'i'), false) AS is_headless,
       coalesce(regexp_matches(b.ua, 'Selenium|Playwright|Puppeteer|WebDriver|chromedriver|geckodriver', 'i'), false) AS is_automation,
       CASE WHEN b.ua IS NULL THEN 'Unknown' WHEN contains(b.ua, 'Edg/') THEN 'Edge' WHEN contains(b.ua, 'Chrome/') THEN 'Chrome'
            WHEN contains(b.ua, 'Firefox/') THEN 'Firefox' WHEN contains(b.ua, 'Safari/') THEN 'Safari' ELSE 'Other' END AS browser_family,
       CAST(NULL AS VARCHAR) AS site, strftime(make_timestamp(b.first_t * 1000), '%Y-%m-%d') AS session_date
FROM base b
LEFT JOIN name_entropy ne USING (sessionId)
LEFT JOIN pair_entropy pe USING (sessionId)
LEFT JOIN depth d USING (sessionId)
