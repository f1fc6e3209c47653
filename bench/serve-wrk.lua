-- wrk script for bench/serve.mjs: the same mixed workload as the autocannon client (per connection,
-- alternate a session's next event and a price request; session ids churn every 20 events), paced by
-- wrk's delay() so the overall rate is about connections × 1000 / WRK_DELAY_MS requests per second.
-- wrk measures latency from writing a request to reading its response; the delay is not included.
-- Prints one line "WRK_JSON {...}" with counts and latency percentiles (microseconds).
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "4")
local names = { "page_view", "view_item_page", "learn_more_about_item", "hover_over_title", "add_item_to_cart", "page_view" }
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local n = counter
  local sid = string.format("bench-%d-%d", tid or 0, math.floor(n / 40))
  if n % 2 == 1 then
    local body = string.format(
      '{"sessionId":"%s","eventName":"%s","ts":%d,"productId":"p%d","metadata":{"price":%d},"userAgent":"Mozilla/5.0 Chrome/120"}',
      sid, names[(math.floor(n / 2) % #names) + 1], os.time() * 1000 + n % 1000, n % 7, 100 + n % 50)
    return wrk.format("POST", "/v1/events", { ["Content-Type"] = "application/json" }, body)
  end
  return wrk.format("POST", "/v1/price", { ["Content-Type"] = "application/json" },
    string.format('{"sessionId":"%s","productId":"p1","basePrice":120}', sid))
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end
