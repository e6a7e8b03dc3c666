import { z } from "zod";
import { positiveInt } from "./number-schemas.js";

/** What `state.redis.url` (and SWITCHYARD_REDIS_URL) must look like. */
export const REDIS_URL_PATTERN = /^rediss?:\/\/[^/]/;

/** Where live counters, limits and budget reservations are kept (see src/state). */
export const stateSchema = z.strictObject({
  redis: z
    .strictObject({
      /** Absent: in this process's memory, right for one instance. Set: one Redis shared by every instance. */
      url: z.string().regex(REDIS_URL_PATTERN, "expected a redis:// or rediss:// URL").optional(),
      /** Put before every key, so several deployments can share one Redis. */
      keyPrefix: z.string().min(1).default("switchyard:"),
      /** How long a reservation or parallel slot of an instance that died is held before it is freed. */
      leaseTtlMs: positiveInt.default(15 * 60_000),
    })
    .default({ keyPrefix: "switchyard:", leaseTtlMs: 15 * 60_000 }),
});
