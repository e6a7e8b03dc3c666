import { emptyUsage, ProviderError, type ChatResponse, type ToolCall } from "../../../core/index.js";
import { classifyOllamaError } from "./classify-ollama-error.js";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import { readOllamaToolCall } from "./read-ollama-tool-call.js";

export interface ParseOllamaResponseContext {
  provider: string;
  /** The model asked for, reported when the body names none. */
  model: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const invalid = (provider: string, message: string): ProviderError =>
  new ProviderError({ kind: "invalid_response", provider, message: `unexpected Ollama chat body: ${message}` });

/**
 * A non-streamed `/api/chat` body (the final-line fields plus the whole `message`) as a
 * ChatResponse. Ollama gives no response id, so `id` is empty. `message.thinking` (with `think`)
 * is the answer's reasoning. A 200 carrying `{"error":…}` is classified like an HTTP error.
 */
export function parseOllamaResponse(body: unknown, context: ParseOllamaResponseContext): ChatResponse {
  const { provider } = context;
  if (!isObject(body)) throw invalid(provider, "not a JSON object");
  if (body.error !== undefined && body.error !== null) throw classifyOllamaError({ provider, body });
  const message = body.message;
  if (!isObject(message)) throw invalid(provider, "message is missing");
  const content = message.content;
  if (content !== undefined && content !== null && typeof content !== "string") throw invalid(provider, "message.content is not a string");
  const rawCalls = message.tool_calls;
  if (rawCalls !== undefined && rawCalls !== null && !Array.isArray(rawCalls)) throw invalid(provider, "message.tool_calls is not a list");
  const toolCalls: ToolCall[] = Array.isArray(rawCalls) ? rawCalls.map((call, index) => readOllamaToolCall(call, index, provider)) : [];
  const doneReason = typeof body.done_reason === "string" ? body.done_reason : null;

  return {
    id: "",
    model: typeof body.model === "string" && body.model !== "" ? body.model : context.model,
    message: {
      role: "assistant",
      // A tool-calling answer comes with `content: ""`; OpenAI's shape says null.
      content: typeof content === "string" && (content !== "" || toolCalls.length === 0) ? content : null,
      toolCalls,
      ...(typeof message.thinking === "string" && message.thinking !== "" ? { reasoning: message.thinking } : {}),
    },
    finish: mapOllamaFinishReason(doneReason, toolCalls.length > 0),
    usage: convertOllamaUsage(body) ?? emptyUsage(),
  };
}
