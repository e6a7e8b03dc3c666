import { z } from "zod";
import { nonNegativeInt, positiveInt } from "./number-schemas.js";

export const routerSchema = z.strictObject({
  retries: nonNegativeInt.default(2),
  backoff: z
    .strictObject({ baseMs: nonNegativeInt.default(100), maxMs: nonNegativeInt.default(5000) })
    .default({ baseMs: 100, maxMs: 5000 }),
  timeoutMs: positiveInt.default(60_000),
  firstTokenTimeoutMs: positiveInt.default(15_000),
  /**
   * Connections per upstream origin; absent: 8192 over HTTP/1.1 (a stream each) and 82 over HTTP/2
   * (100 streams each), DEFAULT_CONNECTIONS and DEFAULT_H2_CONNECTIONS in create-http-client.ts.
   */
  connections: positiveInt.optional(),
  /** Offer HTTP/2 to upstreams: off by default, as h2c to an http:// upstream that only speaks HTTP/1.1 fails. */
  http2: z.boolean().default(false),
  cooldown: z
    .strictObject({
      failures: positiveInt.default(3),
      windowMs: positiveInt.default(60_000),
      durationMs: positiveInt.default(30_000),
    })
    .default({ failures: 3, windowMs: 60_000, durationMs: 30_000 }),
  fallbacks: z
    .strictObject({
      rateLimit: z.array(z.string()).default([]),
      contextWindow: z.array(z.string()).default([]),
      contentPolicy: z.array(z.string()).default([]),
    })
    .default({ rateLimit: [], contextWindow: [], contentPolicy: [] }),
});
