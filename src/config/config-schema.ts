import { z } from "zod";
import { DEFAULT_GRAPHQL_LIMITS } from "../server/graphql-limits.js";
import { DEFAULT_CONNECTIONS } from "../providers/http/create-http-client.js";

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

/** What `state.redis.url` (and SWITCHYARD_REDIS_URL) must look like. */
export const REDIS_URL_PATTERN = /^rediss?:\/\/[^/]/;

export const STRATEGIES = ["weighted", "round-robin", "least-busy", "latency", "usage", "cost"] as const;

const positiveInt = z.number().int().positive();
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
  cachedPromptFraction: probability.optional(),
  chunkBytes: positiveInt.optional(),
  keepAliveComments: z.boolean().optional(),
  retryAfterMs: nonNegativeInt.optional(),
  rateLimit: z.strictObject({ requests: positiveInt, tokens: positiveInt }).optional(),
  failures: z
    .strictObject({
      rateLimit: probability.optional(),
      serverError: probability.optional(),
      unavailable: probability.optional(),
      hang: probability.optional(),
      reset: probability.optional(),
      truncate: probability.optional(),
      garbage: probability.optional(),
      midStreamError: probability.optional(),
    })
    .optional(),
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
  deployments: z.array(deploymentSchema).min(1, "a model group needs at least one deployment"),
});

const routerSchema = z.strictObject({
  retries: nonNegativeInt.default(2),
  backoff: z
    .strictObject({ baseMs: nonNegativeInt.default(100), maxMs: nonNegativeInt.default(5000) })
    .default({ baseMs: 100, maxMs: 5000 }),
  timeoutMs: positiveInt.default(60_000),
  firstTokenTimeoutMs: positiveInt.default(15_000),
  /** Connections per upstream origin (DEFAULT_CONNECTIONS in create-http-client.ts says why so many). */
  connections: positiveInt.default(DEFAULT_CONNECTIONS),
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
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(4000),
      host: z.string().default("0.0.0.0"),
      /** Largest accepted request body; a larger one is refused with a typed error. */
      maxBodyBytes: positiveInt.default(16 * 1024 * 1024),
      graphql: graphqlLimitsSchema.default(DEFAULT_GRAPHQL_LIMITS),
    })
    .default({ port: 4000, host: "0.0.0.0", maxBodyBytes: 16 * 1024 * 1024, graphql: DEFAULT_GRAPHQL_LIMITS }),
  database: z
    .strictObject({
      url: z.string().optional(),
      dataDir: z.string().default("./.switchyard/pgdata"),
      /** Keep raw calls this many days (rollups are kept); absent: keep every call. */
      callRetentionDays: z.number().int().min(1, "callRetentionDays must be at least 1 (omit it to keep every call)").optional(),
    })
    .default({ dataDir: "./.switchyard/pgdata" }),
  simulator: z.strictObject({ seed: z.number().int().default(1) }).default({ seed: 1 }),
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
export type SimulateConfig = NonNullable<DeploymentConfig["simulate"]>;
