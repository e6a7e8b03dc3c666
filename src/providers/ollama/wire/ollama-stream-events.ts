import { ProviderError, type ChatEvent } from "../../../core/index.js";
import { invalidStreamData } from "../../http/invalid-stream-data.js";
import type { JsonParseResult } from "../../http/parse-json-safe.js";
import { classifyOllamaError } from "./classify-ollama-error.js";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import { readOllamaToolCall } from "./read-ollama-tool-call.js";

export interface OllamaStreamContext {
  provider: string;
  /** The model asked for, reported when no line names one. */
  model: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Ollama's NDJSON stream as ChatEvents: `message.content` pieces as text, each whole tool call
 * as one `tool-call-delta` (ids made up when Ollama sends none), and one `finish` from the
 * `done: true` line with its counts. Reading stops at that line. An `{"error":…}` line is
 * thrown classified; a line that is not a JSON object is an `invalid_response`; bytes that end
 * before the `done` line are a truncated stream (`connection`).
 */
export async function* ollamaStreamEvents(
  lines: AsyncIterable<JsonParseResult>,
  context: OllamaStreamContext,
): AsyncGenerator<ChatEvent, void, undefined> {
  const { provider } = context;
  let model = "";
  let toolCalls = 0;

  for await (const line of lines) {
    if (!line.ok) throw invalidStreamData(provider, "stream line is not a JSON object", line.text, line.error);
    const chunk = line.value;
    if (!isObject(chunk)) throw invalidStreamData(provider, "stream line is not a JSON object", JSON.stringify(chunk));
    if (chunk.error !== undefined && chunk.error !== null) throw classifyOllamaError({ provider, body: chunk });
    if (model === "" && typeof chunk.model === "string") model = chunk.model;

    const message = chunk.message;
    if (isObject(message)) {
      if (typeof message.thinking === "string" && message.thinking !== "") yield { type: "reasoning-delta", text: message.thinking };
      if (typeof message.content === "string" && message.content !== "") yield { type: "text-delta", text: message.content };
      if (Array.isArray(message.tool_calls)) {
        for (const value of message.tool_calls) {
          const call = readOllamaToolCall(value, toolCalls, provider);
          yield { type: "tool-call-delta", index: toolCalls, id: call.id, name: call.name, argumentsDelta: call.arguments };
          toolCalls++;
        }
      }
    }

    if (chunk.done === true) {
      yield {
        type: "finish",
        finish: mapOllamaFinishReason(typeof chunk.done_reason === "string" ? chunk.done_reason : null, toolCalls > 0),
        usage: convertOllamaUsage(chunk),
        model: model !== "" ? model : context.model,
        id: "",
      };
      return;
    }
  }
  throw new ProviderError({ kind: "connection", provider, message: "stream ended before completion" });
}
