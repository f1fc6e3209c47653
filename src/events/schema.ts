/**
 * The upstream interaction-event contract (docs/contract.md §1) as a zod schema, and the console envelope around it.
 * `normalise` applies the same rules field by field so each rejection gets a precise reason.
 */
import { z } from 'zod';

const nullableString = z.string().nullable().optional();

/** A flat interaction event as upstream sends it to `user-interactions`. */
export const rawEventSchema = z
  .object({
    sessionId: z.string().min(1),
    experimentId: nullableString,
    eventName: z.string().min(1),
    ts: z.union([z.string(), z.number()]).optional(),
    page: nullableString,
    productId: nullableString,
    storeMode: nullableString,
    userAgent: nullableString,
    metadata: z.record(z.string(), z.unknown()).nullable().optional(),
    is_agent: z.boolean().nullable().optional(),
  })
  .passthrough();

export type RawEvent = z.infer<typeof rawEventSchema>;

/** Redpanda-Console style export of a Kafka record: the event sits in `value.payload`. */
export const consoleEnvelopeSchema = z
  .object({
    partitionID: z.number().optional(),
    offset: z.number().optional(),
    timestamp: z.union([z.string(), z.number()]).optional(),
    topic: z.string().optional(),
    key: z.unknown().optional(),
    value: z.object({ payload: z.unknown() }).passthrough(),
  })
  .passthrough();

/** A price observation on topic `price-logs` (the price actually shown to the session). */
export const priceLogSchema = z.object({
  productId: z.string().min(1),
  price: z.number().finite(),
  sessionId: z.string().min(1),
  experimentId: z.string().nullable().optional(),
  storeMode: z.string().nullable().optional(),
  ts: z.union([z.string(), z.number()]),
});

/** Resource kinds of a request (`resource_kind`): what the URL fetched, by extension and path patterns (docs/access-logs.md). */
export const RESOURCE_KINDS = ['page', 'asset', 'api', 'beacon', 'robots', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * The request columns of events.parquet (docs/access-logs.md), after the docs/contract.md §3 columns. Written only by
 * sources that have them (`--from access-log`): a file either has all of them or none, and readers test for
 * their presence (absent → request features are left out, not zero-filled). All nullable. The user agent
 * stays in `userAgent`; the client address is written only with `--keep-client-address` (else all null).
 */
export const REQUEST_COLUMNS = [
  { name: 'method', type: 'utf8', meaning: 'HTTP method as sent (GET, POST, HEAD…); null when the request line was "-" or unparsable' },
  { name: 'path', type: 'utf8', meaning: 'URL path without the query string, as logged (percent-encoding kept)' },
  { name: 'query', type: 'utf8', meaning: 'query string without the leading "?"; null when the URL had none' },
  { name: 'protocol', type: 'utf8', meaning: 'HTTP/1.0, HTTP/1.1, HTTP/2.0 …; null when absent' },
  { name: 'status', type: 'int32', meaning: 'final response status (%>s / $status)' },
  { name: 'bytes', type: 'int64', meaning: 'response body bytes (%b/%B/$body_bytes_sent); "-" means 0' },
  { name: 'duration_ms', type: 'float64', meaning: 'time to serve the request in ms (%D µs, %T s, $request_time s)' },
  { name: 'referrer', type: 'utf8', meaning: 'Referer header; null when "-" or empty' },
  { name: 'resource_kind', type: 'utf8', meaning: 'page | asset | api | beacon | robots | other (RESOURCE_KINDS)' },
  { name: 'site', type: 'utf8', meaning: 'virtual host (%v / $host / $server_name); null when the format has none' },
  { name: 'client_address', type: 'utf8', meaning: 'client IP (%h/%a/$remote_addr) only with --keep-client-address, else null' },
] as const;
export type RequestColumnName = (typeof REQUEST_COLUMNS)[number]['name'];
