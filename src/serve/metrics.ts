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

/** One observation into a histogram (cumulative buckets). */
function observe(h: Histogram, seconds: number): void {
  for (let b = 0; b < LATENCY_BUCKETS.length; b++) if (seconds <= LATENCY_BUCKETS[b]!) h.counts[b]!++;
  h.sum += seconds;
  h.count++;
}

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

/** One counter value (a cell, so the request path bumps it without a Map lookup). */
interface Cell {
  value: number;
}

/** A route's request recorder: counts by status and the latency histogram, for one route's requests. */
export type RouteRecorder = (status: number, seconds: number) => void;

export class Metrics {
  private readonly requests = new Map<string, Cell>();
  private readonly latency = new Map<string, Histogram>();
  private readonly counters = new Map<string, { help: string; values: Map<string, Cell> }>();
  private readonly gauges: { name: string; help: string; read: () => number }[] = [];
  /** the count of each route and status seen, by route then status */
  private readonly requestCells = new Map<string, Map<number, Cell>>();
  /** the last counter bumped by `inc` (the events route bumps the same one on every request) */
  private lastName = '';
  private lastLabels: Record<string, string> | null = null;
  private lastCell: Cell = { value: 0 };

  /** Record one finished request. @example metrics.observeRequest('POST /v1/price', 200, 0.0007) */
  observeRequest(route: string, status: number, seconds: number): void {
    this.requestCell(route, status).value++;
    observe(this.histogram(route), seconds);
  }

  /**
   * observeRequest for one route, as a function that keeps the route's histogram and its last status's count
   * (the request path: no Map lookup while the status repeats). Nothing is declared before the first call.
   * @example const record = metrics.recorder('POST /v1/price'); record(200, 0.0007)
   */
  recorder(route: string): RouteRecorder {
    let h: Histogram | undefined, lastStatus = -1, last: Cell | undefined;
    return (status, seconds) => {
      if (status !== lastStatus) {
        last = this.requestCell(route, status);
        lastStatus = status;
      }
      last!.value++;
      observe((h ??= this.histogram(route)), seconds);
    };
  }

  private requestCell(route: string, status: number): Cell {
    let byStatus = this.requestCells.get(route);
    if (byStatus === undefined) this.requestCells.set(route, (byStatus = new Map()));
    let cell = byStatus.get(status);
    if (cell === undefined) {
      byStatus.set(status, (cell = { value: 0 }));
      this.requests.set(labels({ route, status: String(status) }), cell);
    }
    return cell;
  }

  private histogram(route: string): Histogram {
    let h = this.latency.get(route);
    if (h === undefined) this.latency.set(route, (h = { counts: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 }));
    return h;
  }

  /** Add to a counter (declared on first use). @example metrics.inc('phantom_events_total', 'events received', { result: 'accepted' }, 3) */
  inc(name: string, help: string, l: Record<string, string> = NO_LABELS, by = 1): void {
    if (this.lastLabels === l && this.lastName === name) {
      this.lastCell.value += by;
      return;
    }
    let c = this.counters.get(name);
    if (c === undefined) this.counters.set(name, (c = { help, values: new Map() }));
    const key = labels(l);
    let cell = c.values.get(key);
    if (cell === undefined) c.values.set(key, (cell = { value: 0 }));
    cell.value += by;
    // only a frozen label set is the same labels next time (a mutable one could change in between)
    this.lastName = name;
    this.lastLabels = Object.isFrozen(l) ? l : null;
    this.lastCell = cell;
  }

  /** A counter's current value (0 when never bumped). */
  value(name: string, l: Record<string, string> = NO_LABELS): number {
    return this.counters.get(name)?.values.get(labels(l))?.value ?? 0;
  }

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  /** The exposition text for GET /metrics. */
  render(): string {
    const out: string[] = [];
    out.push('# HELP phantom_http_requests_total HTTP requests by route and status.', '# TYPE phantom_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`phantom_http_requests_total${k} ${v.value}`);
    out.push('# HELP phantom_http_request_duration_seconds Time from request start to response end.', '# TYPE phantom_http_request_duration_seconds histogram');
    for (const [route, h] of this.latency) {
      LATENCY_BUCKETS.forEach((le, b) => out.push(`phantom_http_request_duration_seconds_bucket${labels({ route, le: String(le) })} ${h.counts[b]}`));
      out.push(`phantom_http_request_duration_seconds_bucket${labels({ route, le: '+Inf' })} ${h.count}`);
      out.push(`phantom_http_request_duration_seconds_sum${labels({ route })} ${h.sum}`);
      out.push(`phantom_http_request_duration_seconds_count${labels({ route })} ${h.count}`);
    }
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}${k} ${v.value}`);
    }
    for (const g of this.gauges) out.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`, `${g.name} ${g.read()}`);
    return `${out.join('\n')}\n`;
  }
}
