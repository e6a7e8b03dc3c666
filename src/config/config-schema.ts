import { z } from "zod";
import { groupSchema } from "./group-schema.js";
import { nonNegativeInt } from "./number-schemas.js";
import { routerSchema } from "./router-schema.js";
import { serverSchema } from "./server-schema.js";
import { stateSchema } from "./state-schema.js";

/** What `database.readUrl` must look like. */
export const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\/[^/]/i;

export const configSchema = z.strictObject({
  server: serverSchema.default(serverSchema.parse({})),
  database: z
    .strictObject({
      url: z.string().optional(),
      /**
       * A read replica of `url` (postgres://…): analytics, call listings and the dashboard read from it;
       * the call log's own reads (writer, retention, rollups, keys, stored responses) stay on `url`.
       */
      readUrl: z.string().regex(POSTGRES_URL_PATTERN, "expected a postgres:// or postgresql:// URL").optional(),
      dataDir: z.string().default("./.switchyard/pgdata"),
      /** Keep raw calls this many days (rollups are kept); absent: keep every call. */
      callRetentionDays: z.number().int().min(1, "callRetentionDays must be at least 1 (omit it to keep every call)").optional(),
      callLog: z
        .strictObject({
          /**
           * Append every call to a write-ahead file under the state directory before it is answered,
           * so a killed process (SIGKILL, OOM) loses none; off: up to one flush interval of calls is at risk.
           */
          writeAhead: z.boolean().default(false),
          /** Width in days of one partition of `calls` and `call_attempts` (a new width applies to partitions made from then on). */
          partitionDays: z.number().int().min(1, "partitionDays must be at least 1").max(366, "partitionDays must be at most 366").default(1),
          /** The gateway keeps partitions created this many days ahead (at start and every hour). */
          partitionAheadDays: z.number().int().min(1, "partitionAheadDays must be at least 1").max(366, "partitionAheadDays must be at most 366").default(7),
          /**
           * Write the call log and merge its rollups in a worker thread with a Postgres pool of its own, so
           * the request thread only buffers calls and posts each batch. Absent: on with a Postgres
           * database.url, off with the embedded PGlite (which runs inside the process: `true` is refused there).
           */
          thread: z.boolean().optional(),
        })
        .default({ writeAhead: false, partitionDays: 1, partitionAheadDays: 7 }),
    })
    .default({ dataDir: "./.switchyard/pgdata", callLog: { writeAhead: false, partitionDays: 1, partitionAheadDays: 7 } }),
  simulator: z.strictObject({ seed: z.number().int().default(1) }).default({ seed: 1 }),
  /** Virtual keys: how long the secret before a rotateVirtualKey keeps working (default one day; 0 = at once refused). */
  keys: z
    .strictObject({ rotationGraceSeconds: nonNegativeInt.default(86_400) })
    .default({ rotationGraceSeconds: 86_400 }),
  logging: z
    .strictObject({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") })
    .default({ level: "info" }),
  models: z.array(groupSchema).min(1, "at least one model group is needed"),
  router: routerSchema.default(routerSchema.parse({})),
  state: stateSchema.default(stateSchema.parse({})),
});

export type Config = z.infer<typeof configSchema>;
export type ModelGroupConfig = Config["models"][number];
export type DeploymentConfig = ModelGroupConfig["deployments"][number];
export type RouterConfig = Config["router"];
export type StateConfig = Config["state"];
export type QualityConfig = NonNullable<ModelGroupConfig["quality"]>;
export type CascadeConfig = NonNullable<ModelGroupConfig["cascade"]>;
export type AnswerCheckConfig = CascadeConfig["checks"][number];
export type SimulateConfig = NonNullable<DeploymentConfig["simulate"]>;
