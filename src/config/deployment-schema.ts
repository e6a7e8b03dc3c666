import { z } from "zod";
import { simulatorFailuresSchema } from "../simulator/simulator-profile-schema.js";
import { nonNegativeInt, positiveInt, probability } from "./number-schemas.js";

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

export const deploymentSchema = z.strictObject({
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
