import type { MaxTokensField } from "../openai/wire/to-openai-request.js";
import type { OpenAIQuirks } from "../openai/wire/openai-quirks.js";

/**
 * A compatible server's deviations from OpenAI. The OpenAIQuirks fields change what the
 * OpenAI adapter sends and reads; the others record behaviour the adapter already handles
 * generically, kept here so the tests (and fake servers) replay each provider's own bytes.
 */
export interface OpenAICompatibleQuirks extends OpenAIQuirks {
  /** An SSE comment the server sends while it waits; comments are dropped by sseEvents. */
  keepAliveComment?: string;
  /** A delta/message field carrying reasoning text; it is not answer text and is never emitted. */
  reasoningField?: string;
  /**
   * Once generation has started, errors arrive as a `data:` event with an `error` member under
   * HTTP 200 (and a numeric `code` standing in for the status); the adapter throws them classified.
   */
  midStreamErrors?: boolean;
}

export interface OpenAICompatiblePreset {
  /** The API root the provider documents for OpenAI SDKs; a deployment's `baseUrl` overrides it. */
  baseUrl: string;
  /** `bearer`: a key is required and sent as `Authorization: Bearer`. `none`: local server, a key is optional. */
  auth: "bearer" | "none";
  /** The token-limit field to send, when the provider refuses OpenAI's default choice. */
  maxTokensField?: MaxTokensField;
  quirks?: OpenAICompatibleQuirks;
}

/**
 * The OpenAI-compatible providers Switchyard knows, as data (WIRE §6.2–§7). Only what differs
 * from OpenAI is written down; anything absent behaves as OpenAI does.
 */
export const OPENAI_COMPATIBLE_PRESETS = {
  // 422 `extra_forbidden` for any field outside its schema: `stream_options`, `user`,
  // `name` on messages and `max_completion_tokens` among them. Stream usage comes on the
  // finish chunk unasked. Finish reasons add `model_length` and `error`.
  mistral: {
    baseUrl: "https://api.mistral.ai/v1",
    auth: "bearer",
    maxTokensField: "max_tokens",
    quirks: {
      includeStreamUsage: false,
      omitFields: ["user"],
      omitMessageNames: true,
      finishReasons: { model_length: "length", error: "error" },
    },
  },
  // 400 when `messages[].name` is supplied; the stream's usage also rides in `x_groq.usage`.
  groq: {
    baseUrl: "https://api.groq.com/openai/v1",
    auth: "bearer",
    quirks: { omitMessageNames: true, streamUsageField: "x_groq" },
  },
  // Older models finish with `eos` at a natural end.
  together: {
    baseUrl: "https://api.together.xyz/v1",
    auth: "bearer",
    quirks: { finishReasons: { eos: "stop" } },
  },
  // Counts cache hits in `prompt_cache_hit_tokens`; keeps a queued stream alive with
  // `: keep-alive` comments (blank lines before a non-streamed body); reasoner models stream
  // `reasoning_content`; `insufficient_system_resource` ends an answer the server gave up on.
  deepseek: {
    baseUrl: "https://api.deepseek.com",
    auth: "bearer",
    quirks: {
      cachedTokensField: "prompt_cache_hit_tokens",
      finishReasons: { insufficient_system_resource: "error" },
      keepAliveComment: ": keep-alive",
      reasoningField: "reasoning_content",
    },
  },
  // Documented as fully compatible; reasoning models stream `reasoning_content`.
  xai: {
    baseUrl: "https://api.x.ai/v1",
    auth: "bearer",
    quirks: { reasoningField: "reasoning_content" },
  },
  // Usage arrives on the final chunk whether asked for or not.
  fireworks: {
    baseUrl: "https://api.fireworks.ai/inference/v1",
    auth: "bearer",
  },
  // `: OPENROUTER PROCESSING` comments; errors after the first token arrive as a `data:` event
  // with `error: { code: <http status>, message }` and finish_reason `error`; 402 means out of
  // credits, 403 a moderation refusal; reasoning streams as `reasoning`.
  openrouter: {
    baseUrl: "https://openrouter.ai/api/v1",
    auth: "bearer",
    quirks: {
      finishReasons: { error: "error" },
      keepAliveComment: ": OPENROUTER PROCESSING",
      midStreamErrors: true,
      reasoningField: "reasoning",
    },
  },
  // `--api-key` makes a key required; an aborted generation finishes with `abort`. Errors carry
  // an integer `code`, flat (`{"object":"error",…}`) in older versions.
  vllm: {
    baseUrl: "http://localhost:8000/v1",
    auth: "none",
    quirks: { finishReasons: { abort: "error" }, midStreamErrors: true, reasoningField: "reasoning_content" },
  },
  // `--api-key` makes a key required; `exceed_context_size_error` on overflow; a `timings`
  // object on the final chunk; reasoning as `reasoning_content` with `--reasoning-format`.
  llamacpp: {
    baseUrl: "http://localhost:8080/v1",
    auth: "none",
    quirks: { reasoningField: "reasoning_content" },
  },
  lmstudio: {
    baseUrl: "http://localhost:1234/v1",
    auth: "none",
  },
  // Ignores `tool_choice`, `user` and `n`; turns `stop` into `tool_calls` itself; tool calls
  // arrive whole in one chunk; thinking models stream `reasoning`.
  "ollama-openai": {
    baseUrl: "http://localhost:11434/v1",
    auth: "none",
    quirks: { reasoningField: "reasoning" },
  },
} as const satisfies Record<string, OpenAICompatiblePreset>;

export type OpenAICompatiblePresetName = keyof typeof OPENAI_COMPATIBLE_PRESETS;

export const OPENAI_COMPATIBLE_PRESET_NAMES = Object.keys(OPENAI_COMPATIBLE_PRESETS) as OpenAICompatiblePresetName[];
