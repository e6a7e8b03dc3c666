/**
 * What each provider's wire looks like where the conformance checks look: how an image, a cache
 * breakpoint and a reasoning setting appear in the request the provider received, and how the
 * provider reports prompt-cache tokens in its answer. Read from the raw bodies, independently of
 * the adapters, so a check sees what really went over the wire.
 */
import type { Provider } from "./conformance-types.js";

type Json = Record<string, any>;

/** An image as the provider received it: base64 data or a URL, and the wire member that carried it. */
export interface WireImage {
  data?: string;
  url?: string;
  shape: string;
}

/** Cache tokens a provider's answer reported; undefined when the answer has no cache field at all. */
export interface WireCache {
  read: number;
  write: number;
}

export interface ProviderWire {
  /** The first image part of the request. */
  image(body: Json): WireImage | undefined;
  /** The cache breakpoint the request carries, by its wire name (in backticks, as the matrix shows it); undefined when it has none. */
  cacheBreakpoint(body: Json): string | undefined;
  /** The breakpoint's wire name, for a provider that caches only up to one (the others cache prefixes by themselves). */
  breakpoint?: string;
  cache(answer: Json): WireCache | undefined;
  /** The reasoning setting the request carries, as `member: value` in backticks; undefined when it has none. */
  reasoning(body: Json): string | undefined;
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/;
const fromUrl = (url: string, shape: string): WireImage => {
  const data = DATA_URL.exec(url);
  return data ? { data: data[2]!, shape } : { url, shape };
};
const partsOf = (messages: unknown): Json[] => (Array.isArray(messages) ? messages : []).flatMap((m: Json) => (Array.isArray(m?.content) ? m.content : []));
const hasKey = (value: unknown, key: string): boolean => JSON.stringify(value ?? null).includes(`"${key}"`);
const num = (value: unknown): number => (typeof value === "number" ? value : 0);

const openAIShaped: ProviderWire = {
  image(body) {
    const part = partsOf(body.messages).find((p) => p?.type === "image_url");
    return part ? fromUrl(String(part.image_url?.url), "`image_url`") : undefined;
  },
  cacheBreakpoint: () => undefined,
  cache(answer) {
    const details = answer.usage?.prompt_tokens_details;
    return details && typeof details.cached_tokens === "number" ? { read: details.cached_tokens, write: 0 } : undefined;
  },
  reasoning: (body) => (body.reasoning_effort !== undefined ? `\`reasoning_effort: ${body.reasoning_effort}\`` : undefined),
};

const anthropic: ProviderWire = {
  image(body) {
    const part = partsOf(body.messages).find((p) => p?.type === "image");
    if (!part) return undefined;
    return part.source?.type === "base64" ? { data: String(part.source.data), shape: "`image` base64 source" } : { url: String(part.source?.url), shape: "`image` url source" };
  },
  cacheBreakpoint: (body) => (hasKey(body.system, "cache_control") || hasKey(body.messages, "cache_control") || hasKey(body.tools, "cache_control") ? "`cache_control`" : undefined),
  breakpoint: "`cache_control`",
  cache(answer) {
    const usage = answer.usage;
    if (!usage || (usage.cache_read_input_tokens === undefined && usage.cache_creation_input_tokens === undefined)) return undefined;
    return { read: num(usage.cache_read_input_tokens), write: num(usage.cache_creation_input_tokens) };
  },
  reasoning: (body) => (body.thinking?.type === "enabled" ? `\`thinking.budget_tokens: ${body.thinking.budget_tokens}\`` : undefined),
};

const gemini: ProviderWire = {
  image(body) {
    const parts: Json[] = (Array.isArray(body.contents) ? body.contents : []).flatMap((c: Json) => c?.parts ?? []);
    const inline = parts.find((p) => p?.inlineData);
    if (inline) return { data: String(inline.inlineData.data), shape: "`inlineData`" };
    const file = parts.find((p) => p?.fileData);
    return file ? { url: String(file.fileData.fileUri), shape: "`fileData`" } : undefined;
  },
  cacheBreakpoint: () => undefined,
  // Gemini leaves cachedContentTokenCount out when nothing was read from the cache.
  cache: (answer) => (answer.usageMetadata ? { read: num(answer.usageMetadata.cachedContentTokenCount), write: 0 } : undefined),
  reasoning(body) {
    const thinking = body.generationConfig?.thinkingConfig;
    return thinking ? `\`thinkingConfig.thinkingBudget: ${thinking.thinkingBudget}\`` : undefined;
  },
};

const bedrock: ProviderWire = {
  image(body) {
    const part = partsOf(body.messages).find((p) => p?.image);
    return part ? { data: String(part.image.source?.bytes), shape: "`image.source.bytes`" } : undefined;
  },
  cacheBreakpoint: (body) => (hasKey(body.system, "cachePoint") || hasKey(body.messages, "cachePoint") || hasKey(body.toolConfig, "cachePoint") ? "`cachePoint`" : undefined),
  breakpoint: "`cachePoint`",
  cache(answer) {
    const usage = answer.usage;
    if (!usage || (usage.cacheReadInputTokens === undefined && usage.cacheWriteInputTokens === undefined)) return undefined;
    return { read: num(usage.cacheReadInputTokens), write: num(usage.cacheWriteInputTokens) };
  },
  reasoning(body) {
    const fields = body.additionalModelRequestFields;
    if (fields?.thinking?.type === "enabled") return `\`thinking.budget_tokens: ${fields.thinking.budget_tokens}\``;
    return fields?.reasoning_effort !== undefined ? `\`reasoning_effort: ${fields.reasoning_effort}\`` : undefined;
  },
};

const ollama: ProviderWire = {
  image(body) {
    const message = (Array.isArray(body.messages) ? body.messages : []).find((m: Json) => Array.isArray(m?.images) && m.images.length > 0);
    return message ? { data: String(message.images[0]), shape: "`images`" } : undefined;
  },
  cacheBreakpoint: () => undefined,
  // Ollama's answer counts prompt_eval_count and eval_count, and nothing about a cache.
  cache: () => undefined,
  reasoning: (body) => (body.think !== undefined ? `\`think: ${JSON.stringify(body.think)}\`` : undefined),
};

export const PROVIDER_WIRES: Readonly<Record<Provider, ProviderWire>> = {
  openai: openAIShaped,
  azure: openAIShaped,
  "openai-compatible": openAIShaped,
  anthropic,
  gemini,
  bedrock,
  ollama,
};
