// The events table the Postgres benches read (bench/export-postgres.mjs, bench/lib/pg-ab.mjs): n rows, ~12
// events per session, a third with jsonb metadata, realistic text widths; primary key on id, analysed.
/** @example const table = await createBenchTable(admin, 1_000_000); // 'bench_events_1000000' */
export async function createBenchTable(admin, n) {
  const table = `bench_events_${n}`;
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.query(`CREATE TABLE ${table} AS SELECT g::bigint AS id, 's' || md5((g / 12)::text) AS session_id,
      md5((g / 1200)::text)::uuid AS experiment_id,
      (ARRAY['page_view','view_item_page','hover_over_title','add_item_to_cart','search','filter_for_price'])[1 + g % 6] AS event_name,
      timestamptz '2025-01-01' + g * interval '7 ms' AS ts, '/hotel/products' AS page, 'p-' || (g % 500) AS product_id,
      'hotel' AS store_mode, 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0' AS user_agent,
      CASE WHEN g % 3 = 0 THEN jsonb_build_object('price', 100 + g % 50, 'dwellTime', g % 900, 'elementText', 'Deluxe room') END AS metadata
    FROM generate_series(1, ${n}) g`);
  await admin.query(`ALTER TABLE ${table} ADD PRIMARY KEY (id)`);
  await admin.query(`VACUUM ANALYZE ${table}`);
  return table;
}
