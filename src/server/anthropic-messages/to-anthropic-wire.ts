import type { AssistantMessage, ClientError, Finish, Usage } from "../../core/index.js";

/** `msg_` + the call id's hex: a message names the call that answered it. */
export const messageIdOf = (callId: string): string => `msg_${callId.replaceAll("-", "")}`;

/** The unified finish as Anthropic's `stop_reason`. */
export function toStopReason(finish: Finish): string {
  switch (finish.unified) {
    case "length":
      return "max_tokens";
    case "tool_calls":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return finish.raw === "stop_sequence" ? "stop_sequence" : "end_turn";
  }
}

/** Usage in Anthropic's shape: `input_tokens` counts the prompt tokens neither read from nor written to the cache. */
export function toAnthropicUsage(usage: Usage) {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
  };
}

/** Tool-call arguments (JSON text) as a `tool_use` block's `input` object; text that is not an object becomes `{}`. */
export function toolInput(args: string): Record<string, unknown> {
  try {
    const value = JSON.parse(args === "" ? "{}" : args) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Reasoning as a thinking block. Its `signature` is empty: the gateway cannot vouch for reasoning that
 * may come from another provider, and thinking blocks sent back are not forwarded upstream.
 */
export type ContentBlock =
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "text"; text: string } | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export function toContentBlocks(message: AssistantMessage): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  if (message.reasoning) blocks.push({ type: "thinking", thinking: message.reasoning, signature: message.reasoningSignature ?? "" });
  if (message.content) blocks.push({ type: "text", text: message.content });
  for (const call of message.toolCalls) blocks.push({ type: "tool_use", id: call.id, name: call.name, input: toolInput(call.arguments) });
  return blocks;
}

/** A whole answer as an Anthropic `message`. */
export function toAnthropicMessage(input: { callId: string; model: string; message: AssistantMessage; finish: Finish; usage: Usage }) {
  return {
    id: messageIdOf(input.callId),
    type: "message",
    role: "assistant",
    model: input.model,
    content: toContentBlocks(input.message),
    stop_reason: toStopReason(input.finish),
    stop_sequence: null,
    usage: toAnthropicUsage(input.usage),
  };
}

/** Anthropic's error `type` per HTTP status (its SDK picks the error class from the status). */
function errorType(status: number): string {
  if (status === 400) return "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 402) return "billing_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 415) return "invalid_request_error";
  if (status === 429) return "rate_limit_error";
  if (status === 503 || status === 529) return "overloaded_error";
  if (status === 504) return "timeout_error";
  return status < 500 ? "invalid_request_error" : "api_error";
}

/** An error in Anthropic's shape: `{"type":"error","error":{"type","message"}}`. */
export function toAnthropicError(error: Pick<ClientError, "httpStatus" | "message">) {
  return { type: "error", error: { type: errorType(error.httpStatus), message: error.message } };
}
