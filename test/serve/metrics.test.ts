import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, Metrics } from '../../src/serve/metrics.js';

describe('Metrics', () => {
  it('renders counters, a cumulative latency histogram and gauges in the Prometheus text format', () => {
    const m = new Metrics();
    m.observeRequest('POST /v1/price', 200, 0.0004);
    m.observeRequest('POST /v1/price', 200, 0.003);
    m.observeRequest('POST /v1/price', 400, 2);
    m.inc('phantom_events_total', 'Events.', { result: 'accepted' }, 5);
    m.gauge('phantom_sessions', 'Sessions.', () => 7);
    const text = m.render();
    expect(text).toContain('phantom_http_requests_total{route="POST /v1/price",status="200"} 2');
    expect(text).toContain('phantom_http_requests_total{route="POST /v1/price",status="400"} 1');
    expect(text).toContain('phantom_http_request_duration_seconds_bucket{route="POST /v1/price",le="0.0005"} 1');
    expect(text).toContain('phantom_http_request_duration_seconds_bucket{route="POST /v1/price",le="0.005"} 2');
    expect(text).toContain('phantom_http_request_duration_seconds_bucket{route="POST /v1/price",le="+Inf"} 3');
    expect(text).toContain('phantom_http_request_duration_seconds_count{route="POST /v1/price"} 3');
    expect(text).toContain('phantom_events_total{result="accepted"} 5');
    expect(text).toContain('# TYPE phantom_sessions gauge\nphantom_sessions 7');
    // buckets are cumulative: non-decreasing in le
    const counts = LATENCY_BUCKETS.map((le) => Number(new RegExp(`le="${le}"} (\\d+)`).exec(text)![1]));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(m.value('phantom_events_total', { result: 'accepted' })).toBe(5);
  });
});
