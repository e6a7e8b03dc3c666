import { z } from "zod";
import { DEFAULT_GRAPHQL_LIMITS } from "../server/graphql-limits.js";
import { simulatorFailuresSchema } from "../simulator/simulator-profile-schema.js";

export const PROVIDERS = [
  "openai",
  "azure",
  "anthropic",
  "gemini",
  "bedrock",
  "ollama",
  "openai-compatible",
  "simulator",
] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** What `database.readUrl` must look like. */
export const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\/[^/]/i;
/** What `state.redis.url` (and SWITCHYARD_REDIS_URL) must look like. */
export const REDIS_URL_PATTERN = /^rediss?:\/\/[^/]/;

export const STRATEGIES = ["weighted", "round-robin", "least-busy", "latency", "usage", "cost"] as const;

const positiveInt = z.number().int().positive();

/** server.heapGrowthPercent when the config names none (README "Memory" has the measurements). */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;
const nonNegativeInt = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

const pricingSchema = z.strictObject({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
  cacheWritePerMTok: z.number().nonnegative().optional(),
});

/** Knobs of a simulated deployment (provider: simulator); see src/simulator. */
const simulateSchema = z.strictObject({
  firstTokenMs: nonNegativeInt.optional(),
  tokensPerSecond: z.number().nonnegative().optional(),
  outputTokens: positiveInt.optional(),
  /** A fixed answer instead of random words (see SimulatorProfile.reply). */
  reply: z.string().optional(),
  cachedPromptFraction: probability.optional(),
  chunkBytes: positiveInt.optional(),
  keepAliveComments: z.boolean().optional(),
  retryAfterMs: nonNegativeInt.optional(),
  rateLimit: z.strictObject({ requests: positiveInt, tokens: positiveInt }).optional(),
  failures: simulatorFailuresSchema.optional(),
});

const deploymentSchema = z.strictObject({
  id: z.string().min(1),
  provider: z.enum(PROVIDERS, {
    error: (issue) =>
      `unknown provider ${JSON.stringify(issue.input)} (expected one of: ${PROVIDERS.join(", ")})`,
  }),
  model: z.string().min(1),
  baseUrl: z.url().optional(),
  apiKey: z.string().optional(),
  weight: z.number().positive().default(1),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
  timeoutMs: positiveInt.optional(),
  /** Connections per upstream origin for this deployment (default: router.connections); see README "Connections". */
  connections: positiveInt.optional(),
  /** Offer HTTP/2 to this upstream (default: router.http2). */
  http2: z.boolean().optional(),
  pricing: pricingSchema.optional(),
  /** Without a price (catalog or `pricing`), keys with a budget are kept off this deployment unless this says they may use it (its calls then count 0 against budgets). */
  allowUnpriced: z.boolean().optional(),
  /** What the model serves, when the price catalog does not know it: chat completions or embeddings (unknown = either is tried). */
  mode: z.enum(["chat", "embedding"]).optional(),
  contextWindow: positiveInt.optional(),
  maxOutputTokens: positiveInt.optional(),
  // provider-specific fields
  apiVersion: z.string().optional(),
  deployment: z.string().optional(),
  region: z.string().optional(),
  accessKeyId: z.string().optional(),
  secretAccessKey: z.string().optional(),
  sessionToken: z.string().optional(),
  /** openai-compatible: a preset name (mistral, groq, together, deepseek, xai, fireworks, openrouter, vllm, llamacpp, lmstudio, ollama-openai). */
  preset: z.string().optional(),
  /** What the model can do; each overrides the price catalog's answer. */
  capabilities: z
    .strictObject({
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
      jsonSchema: z.boolean().optional(),
      streamingUsage: z.boolean().optional(),
    })
    .optional(),
  simulate: simulateSchema.optional(),
});

const hedgeSchema = z.strictObject({
  afterMs: z.union([z.literal("auto"), positiveInt]).default("auto"),
});

/** `builtin` (the shipped router) or the path of a router file made by `router:train`. */
const routerSpecSchema = z.string().min(1);
const tiersSchema = z.array(z.string().min(1)).min(2, "a tiered group needs two or more tiers, cheapest first");

/**
 * Opt-in: recordFeedback scores move the thresholds, within [min, max] (default: 0.1 either side of
 * the configured ones), per instance. Feedback is on the caller's scale: below `lowScore` is bad,
 * at or above `highScore` good.
 */
const adaptSchema = z
  .strictObject({
    step: z.number().positive().max(1).default(0.01),
    /** Default: a quarter of `step` (a good strong answer is weaker evidence than a bad cheap one). */
    raiseStep: z.number().positive().max(1).optional(),
    min: probability.optional(),
    max: probability.optional(),
    lowScore: z.number().finite().default(0.5),
    highScore: z.number().finite().default(0.8),
    near: probability.default(0.05),
  })
  .refine((adapt) => adapt.lowScore <= adapt.highScore, { message: "lowScore must not be above highScore", path: ["lowScore"] })
  .refine((adapt) => adapt.min === undefined || adapt.max === undefined || adapt.min <= adapt.max, { message: "min must not be above max", path: ["min"] });

/** Classifier routing: score the prompt, a score ≥ threshold goes up a tier (see API.md "Quality routing and cascades"). */
const qualitySchema = z.strictObject({
  tiers: tiersSchema,
  /** One value per boundary between tiers, ascending; or give `strongShare` instead. */
  threshold: z.union([probability, z.array(probability).min(1)]).optional(),
  /** The share of prompts (0..1) to send to the stronger tier; the router file turns it into a threshold. */
  strongShare: probability.optional(),
  router: routerSpecSchema.default("builtin"),
  adapt: adaptSchema.optional(),
});

/** One test an answer must pass to stand (every one must); `score` is a test of the prompt, before any call. */
const CHECK_KINDS = ["minLength", "regex", "jsonSchema", "refusal", "score"] as const;
const answerCheckSchema = z
  .strictObject({
    minLength: nonNegativeInt.optional(),
    regex: z.string().optional(),
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    refusal: z.boolean().optional(),
    score: probability.optional(),
  })
  .refine((check) => CHECK_KINDS.filter((kind) => check[kind] !== undefined).length === 1, {
    message: `a check is exactly one of: ${CHECK_KINDS.join(", ")}`,
  });

/** Answer with the cheapest tier, check the answer, escalate to the next tier on failure. */
const cascadeSchema = z.strictObject({
  tiers: tiersSchema,
  checks: z.array(answerCheckSchema).min(1, "a cascade needs at least one check"),
  /** The router for `score` checks (default builtin); the score is also recorded on every call. */
  router: routerSpecSchema.optional(),
});

const groupSchema = z.strictObject({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  strategy: z.enum(STRATEGIES).default("weighted"),
  fallbacks: z.array(z.string()).default([]),
  contextWindowFallbacks: z.array(z.string()).optional(),
  contentPolicyFallbacks: z.array(z.string()).optional(),
  rateLimitFallbacks: z.array(z.string()).optional(),
  retries: nonNegativeInt.optional(),
  timeoutMs: positiveInt.optional(),
  firstTokenTimeoutMs: positiveInt.optional(),
  hedge: hedgeSchema.optional(),
  /** Empty for a quality or cascade group, which routes over other groups instead. */
  deployments: z.array(deploymentSchema).default([]),
  quality: qualitySchema.optional(),
  cascade: cascadeSchema.optional(),
}).superRefine((group, context) => {
  if (group.quality && group.cascade) {
    context.addIssue({ code: "custom", path: ["cascade"], message: "a group is a quality group or a cascade, not both" });
  } else if (group.quality || group.cascade) {
    const policy = group.quality ? "quality" : "cascade";
    if (group.deployments.length > 0) {
      context.addIssue({ code: "custom", path: ["deployments"], message: `a ${policy} group routes over its tiers and holds no deployments of its own` });
    }
  } else if (group.deployments.length === 0) {
    context.addIssue({ code: "custom", path: ["deployments"], message: "a model group needs at least one deployment (or quality/cascade tiers)" });
  }
  if (group.quality && (group.quality.threshold === undefined) === (group.quality.strongShare === undefined)) {
    context.addIssue({ code: "custom", path: ["quality"], message: "give either threshold or strongShare" });
  }
});

const routerSchema = z.strictObject({
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

/** Where live counters, limits and budget reservations are kept (see src/state). */
const stateSchema = z.strictObject({
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

/** What one GraphQL client may send (README "Limits"; src/server/graphql-limits.ts says what each counts). */
const graphqlLimitsSchema = z.strictObject({
  maxDepth: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
  maxComplexity: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxComplexity),
  maxDocumentBytes: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes),
  maxTokens: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
  maxOperationsPerSocket: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxOperationsPerSocket),
  /**
   * The operations safelist-only callers may run: an Apollo persisted query manifest (JSON; a path
   * relative to the config is found beside it). `enforceFor: safelistOnlyKeys` binds the keys
   * created with `safelistOnly: true`; `allKeys` binds every virtual key (never the master key).
   */
  safelist: z
    .strictObject({
      manifest: z.string().min(1),
      enforceFor: z.enum(["safelistOnlyKeys", "allKeys"]).default("safelistOnlyKeys"),
    })
    .optional(),
});

/** `https://app.example.com`, `http://localhost:5173`: a scheme, a host and an optional port, nothing else. */
const originSchema = z.string().refine(isOrigin, "expected an origin such as https://app.example.com (scheme, host, optional port; no path)");

const serverSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(4000),
    /** The listening address; 0.0.0.0 or a LAN address exposes the port to the network. */
    host: z.string().min(1).default("127.0.0.1"),
    /** Largest accepted request body; a larger one is refused with a typed error. */
    maxBodyBytes: positiveInt.default(16 * 1024 * 1024),
    /** Open dev mode (no master key) makes every caller admin: a non-loopback host is refused unless this says the risk is accepted. */
    allowOpenModeOnNetwork: z.boolean().default(false),
    /** Browser origins that may open WebSockets and POST; absent: loopback origins in open dev mode, any origin with a master key. */
    allowedOrigins: z.array(originSchema).optional(),
    /** A connection must deliver a request's complete headers this long after it opened (or after its previous request). */
    headersTimeoutMs: positiveInt.default(15_000),
    /** ... and the whole request, body included; answering may take longer (streams are not cut). */
    requestTimeoutMs: positiveInt.default(60_000),
    /** An idle kept-alive connection is closed after this long (above a load balancer's usual 60 s). */
    keepAliveTimeoutMs: positiveInt.default(65_000),
    /** Open connections (HTTP and WebSocket) at most; more are closed on accept. Keep it below the process's file limit. */
    maxConnections: positiveInt.default(10_000),
    /**
     * How far V8 lets the heap grow past what the last full garbage collection kept, in percent
     * (V8's --heap-growing-percent); 0 leaves V8's own choice, which lets a process with thousands of
     * open streams hold several times their live memory in garbage. See README "Memory".
     */
    heapGrowthPercent: nonNegativeInt.default(DEFAULT_HEAP_GROWTH_PERCENT),
    /** At shutdown, how long answers and WebSocket operations already begun may run before they are cut. */
    shutdownGraceMs: positiveInt.default(10_000),
    /**
     * Processes serving the one port (node:cluster): a number, or "auto" for one per core the
     * process may use. More than 1 (and "auto") needs state.redis and a Postgres database.url.
     */
    workers: z.union([positiveInt, z.literal("auto")]).default(1),
    graphql: graphqlLimitsSchema.default(DEFAULT_GRAPHQL_LIMITS),
  })
  .refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
    path: ["headersTimeoutMs"],
    message: "headersTimeoutMs must not be larger than requestTimeoutMs",
  });

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value.replace(/\/$/, "").toLowerCase();
  } catch {
    return false;
  }
}

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
