import type { ToolCall } from "./chat-request.js";

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error";

/** Normalised at the edge, with the provider's own value kept. */
export interface Finish {
  unified: FinishReason;
  raw: string | null;
}

/**
 * Token usage split so that cost can be computed later from data.
 * `inputTokens` counts every prompt token, cached ones included (OpenAI's `prompt_tokens`).
 */
export interface Usage {
  inputTokens: number;
  /** Of inputTokens, the ones read from the provider's prompt cache. */
  cachedInputTokens: number;
  /** Of inputTokens, the ones written to the prompt cache (Anthropic, Bedrock). */
  cacheWriteTokens: number;
  /** Every generated token, reasoning included (OpenAI's `completion_tokens`). */
  outputTokens: number;
  reasoningTokens: number;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  toolCalls: ToolCall[];
  refusal?: string | null;
  /** The model's reasoning text, when the provider returns it (thinking blocks, thoughts, reasoning_content). */
  reasoning?: string | null;
  /** Anthropic's signature of its thinking, which must come back with it on the next turn. */
  reasoningSignature?: string | null;
}

/** One of several answers to a request with `n` > 1. */
export interface ChatChoice {
  message: AssistantMessage;
  finish: Finish;
}

export interface ChatResponse {
  /** The provider's response id. */
  id: string;
  /** The provider model that answered (the resolved snapshot name when the provider reports one). */
  model: string;
  message: AssistantMessage;
  finish: Finish;
  /** Usage of the whole answer (every choice). */
  usage: Usage;
  /** Every choice, in order, when the provider answered more than one (`n` > 1); `message`/`finish` are the first's. */
  choices?: ChatChoice[];
}
