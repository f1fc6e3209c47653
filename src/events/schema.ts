/**
 * The upstream interaction-event contract (SPEC §1.1) as a zod schema, and the console envelope around it.
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
