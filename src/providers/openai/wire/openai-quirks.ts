import type { FinishReason } from "../../../core/index.js";

/**
 * How a server that speaks Chat Completions departs from OpenAI, as data. Every field is
 * optional and absent means "as OpenAI does"; the presets in src/providers/openai-compatible
 * fill these in per provider.
 */
export interface OpenAIQuirks {
  /** `false` for servers that reject `stream_options` (Mistral answers 422); they report usage unasked or not at all. */
  includeStreamUsage?: boolean;
  /** Top-level body fields the translation must not send because the server rejects them (Mistral: `user`). */
  omitFields?: readonly string[];
  /** The server rejects `name` on messages (Groq answers 400, Mistral 422). */
  omitMessageNames?: boolean;
  /** `finish_reason` values beyond OpenAI's, merged over the built-in table (vLLM `abort`). */
  finishReasons?: Readonly<Record<string, FinishReason>>;
  /** A usage field counting prompt-cache hits when `prompt_tokens_details.cached_tokens` is absent (DeepSeek `prompt_cache_hit_tokens`). */
  cachedTokensField?: string;
  /** A chunk member whose `usage` carries the stream's usage when there is no top-level one (Groq `x_groq`). */
  streamUsageField?: string;
}
