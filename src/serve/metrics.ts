/**
 * Prometheus metrics in the text exposition format (0.0.4): request counters by route and status, a
 * request-latency histogram by route, counters the server bumps, and gauges read when scraped (sessions
 * held, feedback queue depth, Redis up, RSS). Routes are the route patterns, never raw paths, so the
 * label set stays bounded.
 */

/** Histogram bucket upper bounds, seconds: dense below 5 ms, where the latency target is. */
export const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

interface Histogram {
  counts: Float64Array;
  sum: number;
  count: number;
}

const escapeLabel = (v: string): string => (/[\\"\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : v);

/** label texts of frozen label objects (constants the hot paths pass), built once each */
const frozenLabels = new WeakMap<Record<string, string>, string>();
const NO_LABELS: Record<string, string> = Object.freeze({});

function labels(l: Record<string, string>): string {
  if (Object.isFrozen(l)) {
    let text = frozenLabels.get(l);
    if (text === undefined) frozenLabels.set(l, (text = labelText(l)));
    return text;
  }
  return labelText(l);
}

function labelText(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges: { name: string; help: string; read: () => number }[] = [];
  /** the label text of each route and status seen (built once: observeRequest runs on every request) */
  private readonly requestKeys = new Map<string, Map<number, string>>();

  /** Record one finished request. @example metrics.observeRequest('POST /v1/price', 200, 0.0007) */
  observeRequest(route: string, status: number, seconds: number): void {
    let byStatus = this.requestKeys.get(route);
    if (byStatus === undefined) this.requestKeys.set(route, (byStatus = new Map()));
    let key = byStatus.get(status);
    if (key === undefined) byStatus.set(status, (key = labels({ route, status: String(status) })));
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (h === undefined) this.latency.set(route, (h = { counts: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 }));
    for (let b = 0; b < LATENCY_BUCKETS.length; b++) if (seconds <= LATENCY_BUCKETS[b]!) h.counts[b]!++;
    h.sum += seconds;
    h.count++;
  }

  /** Add to a counter (declared on first use). @example metrics.inc('phantom_events_total', 'events received', { result: 'accepted' }, 3) */
  inc(name: string, help: string, l: Record<string, string> = NO_LABELS, by = 1): void {
    let c = this.counters.get(name);
    if (c === undefined) this.counters.set(name, (c = { help, values: new Map() }));
    const key = labels(l);
    c.values.set(key, (c.values.get(key) ?? 0) + by);
  }

  /** A counter's current value (0 when never bumped). */
  value(name: string, l: Record<string, string> = NO_LABELS): number {
    return this.counters.get(name)?.values.get(labels(l)) ?? 0;
  }

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  /** The exposition text for GET /metrics. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP phantom_http_requests_total HTTP requests by route and status.', '# TYPE phantom_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`phantom_http_requests_total${k} ${v}`);
    out.push('# HELP phantom_http_request_duration_seconds Time from request start to response end.', '# TYPE phantom_http_request_duration_seconds histogram');
    for (const [route, h] of this.latency) {
      LATENCY_BUCKETS.forEach((le, b) => out.push(`phantom_http_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${h.counts[b]}`));
      out.push(`phantom_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`);
      out.push(`phantom_http_request_duration_seconds_sum${labels({ route })} ${h.sum}`);
      out.push(`phantom_http_request_duration_seconds_count${labels({ route })} ${h.count}`);
    }
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}${k} ${v}`);
    }
    for (const g of this.gauges) out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${g.read()}`);
    return `${out.join('\n')}\n`;
  }
}
